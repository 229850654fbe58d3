namespace Slipway.Proxy.Edge;

/// <summary>
/// A route's edge steps in order, compiled with the route: a route without policies has none and costs one
/// length check. The order, and where the WAF goes, is in this project's README.
/// </summary>
internal sealed class EdgePipeline
{
    private readonly IEdgeStep[] _steps;
    private readonly int _wafIndex;

    public EdgePipeline(IEdgeStep[] steps)
    {
        _steps = steps;
        _wafIndex = Array.FindIndex(steps, s => s is WafStep) is >= 0 and var index ? index : steps.Length;
        Waf = _wafIndex < steps.Length ? (WafStep)steps[_wafIndex] : null;
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
    public EdgeVerdict Check(scoped in EdgeRequest request) => Run(in request, 0, _steps.Length);

    /// <summary>The steps before the WAF: the front reads a body ahead only for a request they let through.</summary>
    public EdgeVerdict CheckBeforeWaf(scoped in EdgeRequest request) => Run(in request, 0, _wafIndex);

    /// <summary>The WAF and the steps after it, once <see cref="EdgeRequest.Inspected"/> is filled.</summary>
    public EdgeVerdict CheckFromWaf(scoped in EdgeRequest request) => Run(in request, _wafIndex, _steps.Length);

    private EdgeVerdict Run(scoped in EdgeRequest request, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            var verdict = _steps[i].Check(in request);
            if (verdict.Action != EdgeAction.Continue)
            {
                return verdict;
            }
        }

        return default;
    }
}
