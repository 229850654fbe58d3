namespace Slipway.Proxy.Edge;

/// <summary>
/// A route's edge steps in order, compiled with the route: a route without policies has none and costs one
/// length check. The order, and where the WAF goes, is in this project's README.
/// </summary>
internal sealed class EdgePipeline
{
    private readonly IEdgeStep[] _steps;

    public EdgePipeline(IEdgeStep[] steps)
    {
        _steps = steps;
        Waf = steps.OfType<WafStep>().FirstOrDefault();
    }

    public static EdgePipeline None { get; } = new([]);

    public bool IsEmpty => _steps.Length == 0;

    /// <summary>The route's WAF, when it has one: the front must then fill <see cref="EdgeRequest.Inspected"/>.</summary>
    public WafStep? Waf { get; }

    /// <summary>
    /// The one place the order is decided: allow/deny first (a denied client learns nothing more), maintenance
    /// (a held request runs every step again when released, so nothing stateful may come before it), the WAF
    /// (nothing is inspected for a request maintenance holds), then the rate limit (so a held or blocked request
    /// takes no token).
    /// </summary>
    public static EdgePipeline Of(AccessListStep? access, MaintenanceStep? maintenance, WafStep? waf, RateLimitStep? rateLimit)
    {
        IEdgeStep?[] steps = [access, maintenance, waf, rateLimit];
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
