using System.ComponentModel.DataAnnotations;
using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

/// <summary>When an exited instance is started again, and how patiently. <c>restart: on-failure</c> sets only the policy.</summary>
internal sealed record RestartSpec : IScalarShorthand<RestartSpec>, IValidatedSpec
{
    public RestartPolicy Policy { get; init; } = RestartPolicy.Always;

    /// <summary>First wait after a crash; it doubles on each crash in a row.</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Healthy this long and the backoff starts over.</summary>
    public TimeSpan ResetAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>This many crashes within <see cref="CrashLoopWindow"/> mark the service crash-looping.</summary>
    [Range(1, 1000)]
    public int CrashLoopThreshold { get; init; } = 5;

    public TimeSpan CrashLoopWindow { get; init; } = TimeSpan.FromMinutes(10);

    public static RestartSpec? FromScalar(string text, out string? error)
    {
        if (ScalarParsers.TryGet(typeof(RestartPolicy), out var parse) && parse(text, out var policy, out error))
        {
            return new RestartSpec { Policy = (RestartPolicy)policy! };
        }

        error = $"must be always, on-failure, never or a mapping (got {ScalarParsers.Quote(text)})";
        return null;
    }

    public void Validate(SpecContext context)
    {
        if (Backoff <= TimeSpan.Zero)
        {
            context.Error("backoff", "must be longer than 0s");
        }

        if (MaxBackoff < Backoff)
        {
            context.Error("maxBackoff", "must not be shorter than `backoff`");
        }
    }
}
