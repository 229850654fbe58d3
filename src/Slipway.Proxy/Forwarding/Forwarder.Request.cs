using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Slipway.Proxy.Routing;

namespace Slipway.Proxy.Forwarding;

internal sealed partial class Forwarder
{
    /// <summary>
    /// The backend request: the client's target verbatim, its end-to-end headers copied straight
    /// from Kestrel's collection (single values as strings, no intermediate arrays), hop-by-hop
    /// headers and the client's own identity claims (<c>Forwarded</c>, <c>X-Real-IP</c>, an untrusted
    /// <c>X-Forwarded-*</c>) dropped, X-Forwarded-*, X-Real-IP and X-Request-Id set by the proxy.
    /// </summary>
    private static ProxyRequestMessage CreateRequest(
        ProxyContext context, CompiledRoute route, CompiledService service, CompiledEndpoint endpoint, HttpContent? content, bool upgrade)
    {
        var http = context.Http;
        var request = http.Request;

        // A retry reuses the (unsent) body: its headers are filled again below.
        content?.Headers.Clear();
        var message = new ProxyRequestMessage(MethodOf(request.Method), endpoint.GetUri(TargetOf(http)), route.ConnectTimeout)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };

        var headers = message.Headers;
        var incoming = request.Headers;
        // Kestrel (10.0) hands us HTTP/1.1 Connection reduced to keep-alive/close/upgrade, so the
        // headers a client names there are not visible for HTTP/1.1; the check stays for when they are.
        var connection = incoming.Connection;
        var connectionNamesHeaders = connection.Count > 0 && HeaderRules.NamesOtherHeaders(connection.ToString());
        string? host = null;
        var expectContinue = false;
        foreach (var header in incoming)
        {
            var name = header.Key;
            switch (HeaderRules.ForRequest(name))
            {
                case HeaderRule.Drop:
                    continue;
                case HeaderRule.Upgrade:
                    if (upgrade && name.Length == 7)
                    {
                        headers.TryAddWithoutValidation(name, (IEnumerable<string?>)header.Value);
                    }

                    continue;
                case HeaderRule.Proxy:
                    if (name.Length == 4)
                    {
                        host = header.Value.ToString();
                    }
                    else if (name.Length == 6)
                    {
                        expectContinue = header.Value.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase);
                    }

                    continue;
            }

            if (connectionNamesHeaders && HeaderRules.ConnectionNames(connection.ToString(), name))
            {
                continue;
            }

            var value = header.Value;
            if (value.Count == 1)
            {
                var single = value[0]!;
                if (!headers.TryAddWithoutValidation(name, single))
                {
                    content?.Headers.TryAddWithoutValidation(name, single);
                }
            }
            else if (!headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value))
            {
                content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value);
            }
        }

        if (upgrade)
        {
            headers.TryAddWithoutValidation("Connection", "Upgrade");
        }

        if (host is not null && service.Policy.PreserveHost)
        {
            headers.TryAddWithoutValidation("Host", host);
        }

        // A trusted proxy in front knows the client's host and scheme; anyone else's claim is replaced.
        var trusted = context.PeerTrusted;
        var forwardedHost = trusted && incoming.TryGetValue(ProxyHeaderNames.XForwardedHost, out var peerHost) ? peerHost.ToString() : host;
        if (forwardedHost is not null)
        {
            headers.TryAddWithoutValidation(ProxyHeaderNames.XForwardedHost, forwardedHost);
        }

        headers.TryAddWithoutValidation(ProxyHeaderNames.XForwardedFor, context.ForwardedFor);
        headers.TryAddWithoutValidation(ProxyHeaderNames.XRealIp, context.ClientAddressText);
        headers.TryAddWithoutValidation(
            ProxyHeaderNames.XForwardedProto,
            trusted && incoming.TryGetValue(ProxyHeaderNames.XForwardedProto, out var peerProto) ? peerProto.ToString() : request.Scheme);
        headers.TryAddWithoutValidation(ProxyHeaderNames.XRequestId, context.RequestId);
        if (expectContinue && content is not null)
        {
            headers.ExpectContinue = true;
        }

        return message;
    }

    /// <summary>The request target as the client sent it; rebuilt only for absolute-form or asterisk targets.</summary>
    private static string TargetOf(DefaultHttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is { Length: > 0 } && raw[0] == '/')
        {
            return raw;
        }

        var request = http.Request;
        var path = request.Path.HasValue ? request.Path.ToUriComponent() : "/";
        return request.QueryString.HasValue ? path + request.QueryString.Value : path;
    }

    private static HttpMethod MethodOf(string method)
    {
        if (ReferenceEquals(method, HttpMethods.Get) || HttpMethods.IsGet(method))
        {
            return HttpMethod.Get;
        }

        if (HttpMethods.IsPost(method))
        {
            return HttpMethod.Post;
        }

        if (HttpMethods.IsHead(method))
        {
            return HttpMethod.Head;
        }

        if (HttpMethods.IsPut(method))
        {
            return HttpMethod.Put;
        }

        if (HttpMethods.IsDelete(method))
        {
            return HttpMethod.Delete;
        }

        if (HttpMethods.IsPatch(method))
        {
            return HttpMethod.Patch;
        }

        return HttpMethods.IsOptions(method) ? HttpMethod.Options : new HttpMethod(method);
    }
}
