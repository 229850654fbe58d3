using Microsoft.AspNetCore.Http;
using Slipway.Core.Routing;

namespace Slipway.Proxy.Edge;

/// <summary>
/// Allow and deny lists of a route and its service: a client in any deny range is refused; where a list of
/// allowed ranges exists (on the service, on the route, or both) the client must be in each of them.
/// </summary>
internal sealed class AccessListStep : IEdgeStep
{
    private static readonly EdgeAnswer ForbiddenAnswer = new(StatusCodes.Status403Forbidden, EdgeRefusal.Forbidden, "403 forbidden: this address may not use this route\n");
    private readonly AddressRanges _deny;
    private readonly AddressRanges[] _allow;

    public AccessListStep(AddressRanges deny, AddressRanges[] allow)
    {
        _deny = deny;
        _allow = allow;
    }

    /// <summary>The step for a route and its service, or null when neither has a list.</summary>
    public static AccessListStep? For(RoutePolicy route, ServicePolicy? service)
    {
        var deny = new AddressRanges([.. route.Deny, .. service?.Deny ?? []]);
        AddressRanges?[] allow = [AddressRanges.From(route.Allow), service is null ? null : AddressRanges.From(service.Allow)];
        var lists = allow.OfType<AddressRanges>().ToArray();
        return deny.IsEmpty && lists.Length == 0 ? null : new AccessListStep(deny, lists);
    }

    public EdgeVerdict Check(scoped in EdgeRequest request)
    {
        if (_deny.Contains(request.Client))
        {
            return EdgeVerdict.Refuse(ForbiddenAnswer);
        }

        foreach (var allowed in _allow)
        {
            if (!allowed.Contains(request.Client))
            {
                return EdgeVerdict.Refuse(ForbiddenAnswer);
            }
        }

        return default;
    }
}
