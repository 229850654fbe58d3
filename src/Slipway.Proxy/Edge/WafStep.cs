using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Slipway.Core.Routing;
using Slipway.Proxy.Edge.Waf;

namespace Slipway.Proxy.Edge;

/// <summary>
/// A route's WAF: inspects <see cref="EdgeRequest.Inspected"/> with the route's rules (the built-in ones less its
/// allow rules, compiled once). A match is logged and reported to <see cref="EdgeRequest.Findings"/>; in block mode
/// the request is refused with 403 and never forwarded, in detect mode it goes on.
/// </summary>
internal sealed class WafStep : IEdgeStep
{
    private readonly string _service;
    private readonly string _route;
    private readonly ILogger _logger;

    public WafStep(string service, string route, WafModel model, ILogger logger)
    {
        _service = service;
        _route = route;
        _logger = logger;
        Model = model;
        Rules = WafRuleSet.Default.Without(model.Allow.Select(ToAllowRule));
    }

    public WafModel Model { get; }

    public WafRuleSet Rules { get; }

    /// <summary>Body bytes the front reads ahead for inspection; 0 for none.</summary>
    public int BodyBytes => Model.BodyBytes;

    public EdgeVerdict Check(scoped in EdgeRequest request)
    {
        var inspected = request.Inspected;
        if (!WafInspector.Inspect(in inspected, Rules, out var match))
        {
            return default;
        }

        var blocked = Model.Mode == WafMode.Block;
        request.Findings?.WafMatched(match.Class.Name(), blocked);
        // A cookie's value is often a session: the rule and the cookie's name say enough.
        var excerpt = match.Target == WafTargetKind.Cookie ? "(cookie value not logged)" : match.Excerpt;
        Log.WafMatch(
            _logger, blocked ? "blocked" : "detected", match.RuleName, match.Class.Name(), match.TargetText, request.Client.ToString(),
            _service, _route, excerpt, request.RequestId ?? "-");
        return blocked
            ? EdgeVerdict.Refuse(new EdgeAnswer(
                StatusCodes.Status403Forbidden, EdgeRefusal.Waf, $"403 forbidden: the request was refused by the web application firewall (request id {request.RequestId})\n"))
            : default;
    }

    private static WafAllowRule ToAllowRule(WafAllowModel allow) => new(
        allow.Rule,
        allow.TargetKind is { } kind ? Enum.Parse<WafTargetKind>(kind, ignoreCase: true) : null,
        allow.TargetName,
        allow.PathPrefix);
}
