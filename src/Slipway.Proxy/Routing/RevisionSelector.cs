using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Slipway.Core.Routing;

namespace Slipway.Proxy.Routing;

/// <summary>
/// Picks the revision for a request: an explicit pin (header, then cookie) first, then
/// affinity (cookie or client-address hash), then weights.
/// </summary>
internal static class RevisionSelector
{
    public const string PinHeader = "X-Slipway-Revision";
    public const string PinCookieName = "slipway-revision";
    public const string AffinityCookieName = "slipway-affinity";

    /// <param name="setAffinityCookie">The caller should send the revision's affinity cookie.</param>
    /// <param name="pinned">The client asked for this revision by name (the canary shield leaves such requests alone).</param>
    public static CompiledRevision? Select(
        CompiledService service,
        IHeaderDictionary headers,
        AffinityMode affinity,
        uint clientHash,
        Random random,
        out bool setAffinityCookie,
        out bool pinned)
    {
        setAffinityCookie = false;
        pinned = false;
        if (service.Revisions.Length == 1)
        {
            return service.Weighted.Length == 1 ? service.Weighted[0] : null;
        }

        if (headers.TryGetValue(PinHeader, out var pin) && pin.Count > 0
            && service.FindRevision(pin[0]) is { } pinnedByHeader)
        {
            pinned = true;
            return pinnedByHeader;
        }

        var cookies = headers.Cookie;
        if (TryFindCookie(service, cookies, PinCookieName, weightedOnly: false) is { } pinnedByCookie)
        {
            pinned = true;
            return pinnedByCookie;
        }

        if (service.TotalWeight == 0)
        {
            return null;
        }

        switch (affinity)
        {
            case AffinityMode.Cookie:
                // Affinity keeps a client where it landed only while that revision takes traffic;
                // a pin is the way to reach a revision at weight 0.
                if (TryFindCookie(service, cookies, AffinityCookieName, weightedOnly: true) is { } sticky)
                {
                    return sticky;
                }

                var chosen = service.WeightedRevision(random.Next(service.TotalWeight));
                setAffinityCookie = chosen is not null && service.Weighted.Length > 1;
                return chosen;
            case AffinityMode.ClientIp:
                return service.WeightedRevision((int)(clientHash % (uint)service.TotalWeight));
            default:
                return service.Weighted.Length == 1
                    ? service.Weighted[0]
                    : service.WeightedRevision(random.Next(service.TotalWeight));
        }
    }

    /// <summary>
    /// For a route of the preview host: the rollout's new revision, or null with <paramref name="noPreview"/> when no
    /// rollout runs (the caller answers 404; a rollout whose revision is not ready yet gets the usual 503).
    /// </summary>
    public static CompiledRevision? SelectPreview(CompiledService service, out bool noPreview)
    {
        noPreview = service.Policy.PreviewRevision is null;
        return service.Preview;
    }

    private static CompiledRevision? TryFindCookie(CompiledService service, StringValues cookies, string name, bool weightedOnly)
    {
        for (var i = 0; i < cookies.Count; i++)
        {
            if (CookieReader.TryGet(cookies[i], name, out var value) && service.FindRevision(value) is { } revision)
            {
                return !weightedOnly || revision.Weight > 0 ? revision : null;
            }
        }

        return null;
    }
}
