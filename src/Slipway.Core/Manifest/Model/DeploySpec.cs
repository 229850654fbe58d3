using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;
using Slipway.Core.Scheduling;

namespace Slipway.Core.Manifest.Model;

/// <summary>How a new version replaces the running one.</summary>
internal sealed record DeploySpec : IValidatedSpec
{
    public DeployStrategy Strategy { get; init; } = DeployStrategy.Rolling;

    /// <summary>Rolling: extra instances allowed during the switch, a count or a share of replicas.</summary>
    public string MaxSurge { get; init; } = "25%";

    /// <summary>Rolling: instances that may be missing during the switch.</summary>
    public string MaxUnavailable { get; init; } = "0";

    /// <summary>A new instance must stay ready this long before it counts.</summary>
    public TimeSpan MinReady { get; init; } = TimeSpan.Zero;

    /// <summary>Canary: traffic weights in order, each with a pause.</summary>
    public IReadOnlyList<CanaryStep> Steps { get; init; } = [];

    /// <summary>Canary: keep one client on one revision during the rollout.</summary>
    public bool Sticky { get; init; } = true;

    public AnalysisSpec Analysis { get; init; } = new();

    public HooksSpec Hooks { get; init; } = new();

    /// <summary>A revision not ready within this fails the deploy, having taken no traffic.</summary>
    public TimeSpan ProgressDeadline { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Blue-green: how long the old set stays warm after promotion, for instant rollback.</summary>
    public TimeSpan ScaleDownDelay { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A host name whose requests reach the new revision while a rollout runs (before promotion), on the service's
    /// own paths, as the pin header does; outside a rollout it answers 404.
    /// </summary>
    public string? PreviewHost { get; init; }

    /// <summary>Blue-green: promote by itself once smoke checks pass (otherwise `slipway promote`).</summary>
    public bool AutoPromote { get; init; } = true;

    /// <summary>When deploys are allowed, e.g. <c>Mon-Fri 09:00-17:00 Europe/Berlin</c>; any time when empty.</summary>
    public IReadOnlyList<string> Windows { get; init; } = [];

    /// <summary>Periods when deploys are refused.</summary>
    public IReadOnlyList<FreezeSpec> Freeze { get; init; } = [];

    /// <summary>Retry a canary's failed GET/HEAD on the stable revision, so users see no failure.</summary>
    public bool CanaryShield { get; init; } = true;

    public void Validate(SpecContext context)
    {
        CheckCountOrShare(context, "maxSurge", MaxSurge);
        CheckCountOrShare(context, "maxUnavailable", MaxUnavailable);
        if (IsZero(MaxSurge) && IsZero(MaxUnavailable))
        {
            context.Error("maxUnavailable", "and `maxSurge` cannot both be 0: the rollout could never make progress");
        }

        if (Strategy == DeployStrategy.Canary && Steps.Count == 0)
        {
            context.Error("steps", "must list at least one step for a canary, e.g. [{weight: 10, pause: 1m}]");
        }

        if (Strategy != DeployStrategy.Canary && context.IsWritten("steps"))
        {
            context.Error("steps", $"apply only to the canary strategy (this service uses {ScalarParsers.EnumName(Strategy)})");
        }

        var previous = 0;
        for (var i = 0; i < Steps.Count; i++)
        {
            var weight = Steps[i].Weight;
            if (weight <= previous)
            {
                context.Error($"steps[{i}].weight", $"must be greater than the step before ({previous}); weights rise strictly (got {weight})");
            }

            previous = Math.Max(previous, weight);
        }

        for (var i = 0; i < Windows.Count; i++)
        {
            if (!DeployWindow.TryParse(Windows[i], out _, out var error))
            {
                context.Error($"windows[{i}]", error!);
            }
        }

        if (PreviewHost is { } preview && !IsHostName(preview))
        {
            context.Error("previewHost", $"must be a host name such as preview.example.com, without scheme, port or wildcard (got {ScalarParsers.Quote(preview)})");
        }

        if (ProgressDeadline <= TimeSpan.Zero)
        {
            context.Error("progressDeadline", "must be longer than 0s");
        }
    }

    private static bool IsHostName(string host) =>
        host.Length is > 0 and <= 253
        && host.Split('.').All(label => label.Length is > 0 and <= 63 && label[0] != '-' && label[^1] != '-'
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));

    private static bool IsZero(string value) => value.Trim() is "0" or "0%";

    private static void CheckCountOrShare(SpecContext context, string key, string value)
    {
        var text = value.Trim();
        var ok = text.EndsWith('%')
            ? Percentage.TryParse(text, out var share, out _) && share.Value is >= 0 and <= 100
            : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) && count <= 1000;
        if (!ok)
        {
            context.Error(key, $"must be a count such as 1 or a share of replicas such as 25% (got {ScalarParsers.Quote(value)})");
        }
    }
}
