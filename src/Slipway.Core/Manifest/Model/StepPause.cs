using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary><c>pause: 2m</c> or <c>pause: until-promoted</c>.</summary>
internal sealed record StepPause : IScalarShorthand<StepPause>
{
    public TimeSpan Duration { get; init; } = TimeSpan.Zero;

    public bool UntilPromoted { get; init; }

    public static StepPause? FromScalar(string text, out string? error)
    {
        if (text == "until-promoted")
        {
            error = null;
            return new StepPause { UntilPromoted = true };
        }

        if (DurationText.TryParse(text, out var duration, out _))
        {
            error = null;
            return new StepPause { Duration = duration };
        }

        error = $"must be a duration such as 1m, or until-promoted (got {ScalarParsers.Quote(text)})";
        return null;
    }
}
