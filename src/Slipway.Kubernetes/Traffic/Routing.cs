using Slipway.Core.Manifest.Model;

namespace Slipway.Kubernetes.Traffic;

/// <summary>
/// Which Kubernetes Service each routed Slipway service's requests go to. A service Slipway runs is its own Service
/// (the stable one of a canary, the active one of a blue-green); an upstream whose addresses are all another service's
/// internal listener (<c>127.0.0.1:9101</c> for <c>internal: { port: 9101 }</c>) is that service in a cluster. Any
/// other upstream is outside what the cluster can reach by name and is left out with a note.
/// </summary>
internal static class Routing
{
    public static IReadOnlyDictionary<string, string> Backends(RenderContext context)
    {
        var backends = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var internalPorts = context.Manifest.Services.Where(s => s.Value.Internal is not null && s.Value.Run is not null)
            .ToDictionary(s => s.Value.Internal!.Port, s => s.Key);
        foreach (var (name, service) in context.Manifest.Services.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (service.Run is not null)
            {
                backends[name] = name;
                continue;
            }

            var targets = (service.Upstream ?? []).Select(u => HostPort.TryParse(u, out var hp, out _) ? hp : default)
                .Select(hp => hp.Host is "127.0.0.1" or "localhost" or "::1" && internalPorts.TryGetValue(hp.Port, out var target) ? target : null)
                .Distinct().ToList();
            if (targets is [{ } alias])
            {
                backends[name] = alias;
            }
            else
            {
                context.Note($"services.{name}.upstream", "names addresses outside the app; a cluster reaches them another way (an ExternalName Service, a mesh entry), so its routes are left out");
            }
        }

        return backends;
    }

    /// <summary>The routes of a service with a backend, and the routes of the upstreams that alias it, in manifest order.</summary>
    public static IEnumerable<(string Owner, int Index, RouteSpec Route)> RoutesTo(RenderContext context, IReadOnlyDictionary<string, string> backends, string service) =>
        backends.Where(b => b.Value == service)
            .SelectMany(b => context.Manifest.Services[b.Key].Routes.Select((r, i) => (b.Key, i, r)));

    /// <summary>The response headers <c>headers: secure</c> sets, then <c>headers.set</c> over them.</summary>
    public static SortedDictionary<string, string> ResponseHeaders(HeadersSpec headers)
    {
        var set = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (headers.Preset == HeadersPreset.Secure)
        {
            set["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
            set["X-Content-Type-Options"] = "nosniff";
            set["X-Frame-Options"] = "DENY";
            set["Referrer-Policy"] = "strict-origin-when-cross-origin";
        }

        foreach (var (key, value) in headers.Set)
        {
            set[key] = value;
        }

        return set;
    }

    /// <summary>Notes for the keys of a route the chosen traffic API cannot carry, common to both.</summary>
    public static void NoteRoute(RenderContext context, string path, RouteSpec route)
    {
        if (route.Affinity != Affinity.None)
        {
            context.Note($"{path}.affinity", "keeps a client on one revision on one machine; neither the Gateway API nor ingress-nginx's canary keeps that, so it is left out");
        }

        if (route.Waf is not null)
        {
            context.Note($"{path}.waf", "has no field in the chosen traffic API (each controller brings its own WAF, such as ingress-nginx's ModSecurity); left out");
        }

        context.NoteIfWritten($"{path}.timeouts.connect", "has no field in the chosen traffic API; the controller's default applies");
    }
}
