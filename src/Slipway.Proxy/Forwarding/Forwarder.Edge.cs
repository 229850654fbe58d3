using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Slipway.Core.Routing;
using Slipway.Proxy.Edge;
using Slipway.Proxy.Edge.Waf;
using Slipway.Proxy.Routing;

namespace Slipway.Proxy.Forwarding;

internal sealed partial class Forwarder
{
    // The same texts as the forwarder's own answers to a body Kestrel refused (ErrorBodies), written once.
    private static readonly EdgeAnswer BodyTimedOut = new(StatusCodes.Status408RequestTimeout, EdgeRefusal.None, Encoding.ASCII.GetString(ErrorBodies.BodyTimedOut));
    private static readonly EdgeAnswer BodyMalformed = new(StatusCodes.Status400BadRequest, EdgeRefusal.None, Encoding.ASCII.GetString(ErrorBodies.BodyMalformed));

    private EdgeVerdict CheckEdge(ProxyContext context, CompiledRoute route) => route.Edge.Check(EdgeRequestOf(context));

    /// <summary>
    /// The route's steps for a route with a WAF. Once the steps before it pass, the first
    /// <see cref="WafStep.BodyBytes"/> of an inspectable body are read ahead and left unconsumed (examined nothing),
    /// so the forwarder then streams the whole body from its first byte, intact. Nothing beyond that prefix is
    /// buffered; a chunked body waits here until the prefix or its end arrives, within the route's idle timeout.
    /// </summary>
    private async ValueTask<EdgeVerdict> CheckEdgeInspectingAsync(ProxyContext context, CompiledRoute route, WafStep waf)
    {
        var before = route.Edge.CheckBeforeWaf(EdgeRequestOf(context));
        if (before.Action != EdgeAction.Continue)
        {
            // Denied or held: nothing of the body is read for a request the WAF will not see (yet).
            return before;
        }

        var request = context.Http.Request;
        var wanted = waf.BodyBytes;
        if (wanted == 0 || request.ContentLength == 0 || context.Http.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false }
            || !WafInspector.ReadsBody(request.ContentType))
        {
            return CheckInspecting(context, route, ReadOnlySequence<byte>.Empty);
        }

        var reader = request.BodyReader;
        context.ArmTimeout(route.IdleTimeout);
        ReadResult read;
        try
        {
            read = await reader.ReadAtLeastAsync((int)Math.Min(wanted, request.ContentLength ?? wanted), context.BackendToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.TimedOut)
        {
            return EdgeVerdict.Refuse(BodyTimedOut);
        }
        catch (BadHttpRequestException exception)
        {
            // Kestrel's refusal: the body too slow for its MinRequestBodyDataRate (408), or its framing broken (a bad
            // chunk size, a body shorter than its length).
            return EdgeVerdict.Refuse(exception.StatusCode == StatusCodes.Status408RequestTimeout ? BodyTimedOut : BodyMalformed);
        }

        try
        {
            var body = read.Buffer;
            return CheckInspecting(context, route, body.Length > wanted ? body.Slice(0, wanted) : body);
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.Start);
        }
    }

    private EdgeVerdict CheckInspecting(ProxyContext context, CompiledRoute route, in ReadOnlySequence<byte> body)
    {
        var http = context.Http;
        var request = http.Request;
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        // The path as sent (origin form); an absolute-form target falls back to Kestrel's decoded path.
        var rawPath = target is { Length: > 0 } && target[0] == '/' ? target.AsSpan(0, target.IndexOf('?', StringComparison.Ordinal) is >= 0 and var q ? q : target.Length) : DecodedPath(context);
        var headers = ArrayPool<WafHeader>.Shared.Rent(Math.Max(16, request.Headers.Count * 2));
        byte[]? copy = null;
        try
        {
            var count = 0;
            foreach (var (name, values) in request.Headers)
            {
                foreach (var value in values)
                {
                    if (count == headers.Length)
                    {
                        var larger = ArrayPool<WafHeader>.Shared.Rent(count * 2);
                        headers.AsSpan().CopyTo(larger);
                        ArrayPool<WafHeader>.Shared.Return(headers, clearArray: true);
                        headers = larger;
                    }

                    headers[count++] = new WafHeader(name, value ?? string.Empty);
                }
            }

            var bytes = body.IsSingleSegment ? body.FirstSpan : Contiguous(body, out copy);
            var inspected = new WafRequest(rawPath, request.QueryString.Value, headers.AsSpan(0, count), request.ContentType, bytes);
            return route.Edge.CheckFromWaf(EdgeRequestOf(context) with { Inspected = inspected, Findings = context });
        }
        finally
        {
            ArrayPool<WafHeader>.Shared.Return(headers, clearArray: true);
            if (copy is not null)
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }
    }

    private static ReadOnlySpan<byte> Contiguous(in ReadOnlySequence<byte> body, out byte[] copy)
    {
        copy = ArrayPool<byte>.Shared.Rent((int)body.Length);
        body.CopyTo(copy);
        return copy.AsSpan(0, (int)body.Length);
    }

    private EdgeRequest EdgeRequestOf(ProxyContext context) =>
        new(context.ClientAddress, DecodedPath(context), context, _time.GetTimestamp()) { RequestId = context.RequestId };

    private static string DecodedPath(ProxyContext context) => context.Http.Request.Path.Value is { Length: > 0 } path ? path : "/";
}
