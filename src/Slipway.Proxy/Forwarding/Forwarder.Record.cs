using Slipway.Core.Routing;

namespace Slipway.Proxy.Forwarding;

internal sealed partial class Forwarder
{
    private void Record(ProxyContext context, long start)
    {
        var route = context.Route;
        var status = context.ClientAborted && !context.CutByProxy && context.StatusCode is 0 or >= 500 ? 0 : context.StatusCode;
        var sample = new RequestSample(
            route?.Service?.Name ?? route?.Model.Service ?? string.Empty,
            context.Revision?.Name ?? string.Empty,
            route?.Name ?? string.Empty,
            context.Endpoint?.Id,
            status,
            _time.GetElapsedTime(start),
            context.RequestBytes,
            context.ResponseBytes,
            context.ProxyFailure,
            Shielded: false,
            context.Refusal,
            context.WafClass,
            context.WafBlocked);
        Record(in sample, context);
    }

    /// <summary>A finished request's sample, and its access-log line when the log is on; shared by both engines.</summary>
    internal void Record(in RequestSample sample, IRequestLine line)
    {
        _metrics.Record(in sample);

        // Sampling thins out the successes only: every server error and every request without an answer is logged.
        var status = sample.StatusCode;
        if (_accessLog.Enabled
            && (status is 0 or >= 500 || Interlocked.Increment(ref _accessLogCounter) % Math.Max(1, _accessLog.SampleEvery) == 0))
        {
            Log.Access(
                _accessLogger, line.Method, line.Host, line.PathAndQuery, status,
                sample.Duration.TotalMilliseconds, line.ClientAddressText, sample.Service, sample.Revision, sample.Route, sample.EndpointId, line.RequestId);
        }
    }

    /// <summary>The canary's own sample for a request the canary shield moved to stable.</summary>
    private void RecordShielded(ProxyContext context, long attemptStart, AttemptOutcome outcome)
    {
        var sample = new RequestSample(
            context.Route!.Service!.Name,
            context.Revision!.Name,
            context.Route.Name,
            context.Endpoint?.Id,
            outcome == AttemptOutcome.ShieldedServerError ? context.StatusCode : StatusCodesForShield,
            _time.GetElapsedTime(attemptStart),
            context.RequestBytes,
            0,
            ProxyFailure: outcome != AttemptOutcome.ShieldedServerError,
            Shielded: true);
        _metrics.Record(in sample);
        context.StatusCode = 0;
    }

    private const int StatusCodesForShield = 502;
}
