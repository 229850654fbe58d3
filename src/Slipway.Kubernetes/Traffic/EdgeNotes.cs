using Slipway.Core.Manifest.Model;

namespace Slipway.Kubernetes.Traffic;

/// <summary>The keys of the proxy, a service's proxying and the daemon itself that have no faithful object in a cluster: one note each, when written.</summary>
internal static class EdgeNotes
{
    public static void Add(RenderContext context)
    {
        var gateway = context.Kubernetes.Traffic == TrafficApi.Gateway;
        context.NoteIfWritten("proxy.listen", gateway ? "is where one machine listens; in a cluster the Gateway's listeners decide" : "is where one machine listens; in a cluster the ingress controller's Service decides");
        context.NoteIfWritten("proxy.compression", gateway ? "has no standard Gateway API field; configure it on the Gateway's implementation" : "is ingress-nginx's global setting (use-gzip, use-brotli in its ConfigMap), not an Ingress's");
        context.NoteIfWritten("proxy.accessLog", "is the ingress controller's or Gateway's own log in a cluster; not rendered");
        context.NoteIfWritten("proxy.tls.certificates", "are chosen by SNI on one machine; in a cluster give each host its own TLS Secret (or `kubernetes.certIssuer`); not rendered");
        context.NoteIfWritten("proxy.tls.minVersion", gateway ? "is the Gateway listener's TLS policy in a cluster; not rendered" : "is ingress-nginx's global ssl-protocols; not rendered");
        if (gateway)
        {
            context.NoteIfWritten("proxy.tls", "terminates at the Gateway in a cluster: give its listener the certificate (a TLS Secret or cert-manager's gateway-shim)");
            context.NoteIfWritten("proxy.headers.remove", "is rendered as a ResponseHeaderModifier; headers the Gateway adds itself may stay");
            context.NoteIfWritten("proxy.limits.maxRequestBody", "has no standard Gateway API field; configure it on the Gateway's implementation");
        }

        foreach (var key in new[] { "maxHeaderBytes", "maxConnections", "requestHeadersTimeout", "keepAliveTimeout" })
        {
            context.NoteIfWritten($"proxy.limits.{key}", "is a setting of the whole ingress controller or Gateway in a cluster; not rendered");
        }

        context.NoteIfWritten("proxy.trustedProxies", "is the Gateway's or ingress controller's own real-client-address setting in a cluster; not rendered");
        context.NoteIfWritten("logs", "is where one machine keeps instance output; a cluster's kubelet rotates container logs (containerLogMaxSize) and a log collector keeps them");

        foreach (var (name, service) in context.Manifest.Services.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var path = $"services.{name}";
            if (service.LoadBalancing != LoadBalancing.RoundRobin && service.LoadBalancing != LoadBalancing.Random)
            {
                context.NoteIfWritten($"{path}.loadBalancing", "has no portable equivalent: the Gateway or ingress controller balances as it is configured (round robin by default)");
            }

            // An address list left out opens what the machine kept closed: each one is named.
            const string AddressList = "has no standard Gateway API or Ingress field (address lists are each implementation's own policy); left out, so the cluster does not enforce it";
            context.NoteIfWritten($"{path}.allow", AddressList);
            context.NoteIfWritten($"{path}.deny", AddressList);
            for (var i = 0; i < service.Routes.Count; i++)
            {
                context.NoteIfWritten($"{path}.routes[{i}].allow", AddressList);
                context.NoteIfWritten($"{path}.routes[{i}].deny", AddressList);
                context.NoteIfWritten($"{path}.routes[{i}].rateLimit.key", "is rendered as a limit per client address (ingress-nginx's, where a rate limit is rendered at all)");
            }

            context.NoteIfWritten($"{path}.maxInFlight", "has no Kubernetes equivalent (a per-pod concurrency limit is the application's or a mesh's); left out");
            context.NoteIfWritten($"{path}.retries", "has no standard field here (Gateway API retries are experimental; ingress-nginx retries are global); left out");
            if (!service.PreserveHost)
            {
                context.Note($"{path}.preserveHost", "is false; the Gateway API and ingress-nginx pass the client's Host on, and rewriting it is not rendered");
            }

            context.NoteIfWritten($"{path}.run.workdir", "is a directory on one machine; a container starts in its image's WORKDIR");
            context.NoteIfWritten($"{path}.deploy.windows", "has no Kubernetes equivalent: nothing stops a kubectl apply outside the window; gate it in your pipeline");
            context.NoteIfWritten($"{path}.deploy.freeze", "has no Kubernetes equivalent: gate it in your pipeline");
        }
    }
}
