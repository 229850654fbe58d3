using System.Globalization;
using Slipway.Control.Audit;
using Slipway.Control.Events;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Autoscaling;

/// <summary>What the autoscaler says besides its decisions: bounds a schedule changed (audited), and when it holds or resumes.</summary>
internal sealed partial class Autoscaler
{
    /// <summary>A change of the bounds in force (a schedule entry began or ended) is an event and an audit entry.</summary>
    private void NoteBounds(string service, AutoscaleSpec spec, ServiceState state, ScaleBounds bounds)
    {
        var previous = state.Bounds;
        state.Bounds = bounds;
        if (previous is null ? bounds.Entry is null : previous.Entry == bounds.Entry && previous.Min == bounds.Min && previous.Max == bounds.Max)
        {
            return;
        }

        var message = bounds.Describe(spec);
        _context.Journal.Record(service, null, EventKinds.AutoscaleBounds, message);
        if (_context.Audit is not { } audit)
        {
            return;
        }

        var arguments = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["min"] = bounds.Min.ToString(CultureInfo.InvariantCulture),
            ["max"] = bounds.Max.ToString(CultureInfo.InvariantCulture),
            ["source"] = bounds.Entry is { } entry ? $"autoscale.schedule[{entry}] \"{spec.Schedule[entry].Cron}\"" : "autoscale.min/max",
        };
        try
        {
            audit.Append(new AuditRecord("autoscaler", "SCHEDULE", $"/api/v1/services/{service}/autoscale", arguments, "daemon", 200, AuditPhase.Result));
        }
        catch (IOException e)
        {
            AutoscalerLog.AuditFailed(_context.Logger, service, e.Message);
        }
    }

    /// <summary>Said once per reason, not at every look.</summary>
    private void Held(string service, ServiceState state, string why)
    {
        if (state.HeldBy != why)
        {
            state.HeldBy = why;
            _context.Journal.Record(service, null, EventKinds.AutoscaleHeld, why);
        }
    }

    private void Resumed(string service, ServiceState state)
    {
        if (state.HeldBy is { } was)
        {
            state.HeldBy = null;
            _context.Journal.Record(service, null, EventKinds.AutoscaleResumed, $"acting again (it held: {was})");
        }
    }
}
