namespace Slipway.Proxy.Edge;

/// <summary>
/// A route's edge steps in order, compiled with the route: a route without policies has none and costs one
/// length check. The order, and where the WAF goes, is in this project's README.
/// </summary>
internal sealed class EdgePipeline
{
    private readonly IEdgeStep[] _steps;

    public EdgePipeline(IEdgeStep[] steps) => _steps = steps;

    public static EdgePipeline None { get; } = new([]);

    public bool IsEmpty => _steps.Length == 0;

    /// <summary>
    /// The one place the order is decided: allow/deny first (a denied client learns nothing more), maintenance
    /// (a held request runs every step again when released, so nothing stateful may come before it), the WAF's
    /// place, then the rate limit (so a held or blocked request takes no token).
    /// </summary>
    public static EdgePipeline Of(AccessListStep? access, MaintenanceStep? maintenance, RateLimitStep? rateLimit)
    {
        IEdgeStep?[] steps = [access, maintenance, rateLimit];
        var present = steps.OfType<IEdgeStep>().ToArray();
        return present.Length == 0 ? None : new EdgePipeline(present);
    }

    /// <summary>The steps, for tests and the README's claims.</summary>
    public IReadOnlyList<IEdgeStep> Steps => _steps;

    /// <summary>The first verdict that is not <see cref="EdgeAction.Continue"/>, or Continue.</summary>
    public EdgeVerdict Check(scoped in EdgeRequest request)
    {
        foreach (var step in _steps)
        {
            var verdict = step.Check(in request);
            if (verdict.Action != EdgeAction.Continue)
            {
                return verdict;
            }
        }

        return default;
    }
}
