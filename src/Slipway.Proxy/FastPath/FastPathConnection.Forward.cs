using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Routing;
using Slipway.Proxy.Forwarding;
using Slipway.Proxy.Routing;

namespace Slipway.Proxy.FastPath;

internal sealed partial class FastPathConnection
{
    private static readonly HeaderDictionary NoHeaders = new();
    private string _host = string.Empty;
    private string _path = "/";
    private HeaderDictionary? _headers;

    /// <summary>The request's body as the client framed it (empty without one), in the pipe's buffer while the request lasts.</summary>
    private ReadOnlySequence<byte> _body;

    /// <summary>
    /// A try sent the body: like the general path's streamed body once the backend asked for it, it is not sent to
    /// another endpoint (only again on a fresh connection when a pooled one turns out closed before any answer).
    /// </summary>
    private bool _bodySent;

    /// <summary>
    /// The request whose head is in <see cref="_head"/>: whether the fast path takes it, decided on the current
    /// routing table: a route with no edge steps, not the preview host, a service without an in-flight limit and no
    /// canary shield in play, a revision that is not a static site. Otherwise the general path's, before anything is
    /// consumed. Once taken, the request runs the general path's steps through the same code (<see cref="RunAsync"/>):
    /// revision choice, endpoint pick, retries within the budget, passive health, metrics and the access log.
    /// </summary>
    private bool TryTake(
        [NotNullWhen(true)] out CompiledRoute? route, [NotNullWhen(true)] out CompiledService? service, [NotNullWhen(true)] out CompiledRevision? revision, out bool setAffinityCookie)
    {
        var table = _engine.Tables.Current;
        _headers = null;
        (service, revision, setAffinityCookie) = (null, null, false);
        if (table.IsInternalPort(_localPort, out var internalService))
        {
            route = internalService?.InternalRoute;
        }
        else
        {
            route = table.Match(HostString(), PathString(), _head.Method, table.MatchesOnHeaders ? Headers() : NoHeaders);
        }

        if (route is null || !route.Edge.IsEmpty || route.Policy.Preview || route.Service is not { } routed
            || routed.Policy.MaxInFlight > 0 || (routed.Policy.CanaryShield && routed.Stable is not null && routed.Revisions.Length > 1))
        {
            // No route, edge steps, the preview host, load shedding or the canary shield: the general path's to answer.
            return false;
        }

        service = routed;
        revision = RevisionSelector.Select(
            service, service.Revisions.Length > 1 ? Headers() : NoHeaders, route.Policy.Affinity, ClientHash, _engine.Random, out setAffinityCookie, out _);

        // No revision to serve, or a static site: the edge answers a site from its files on the general path.
        return revision is { Site: null };
    }

    /// <summary>A taken request starts at <paramref name="start"/>: counted, its id set, the last request's outcome cleared.</summary>
    private void Begin(CompiledService service, long start)
    {
        _engine.Counters.OnRequest();
        _engine.Counters.OnFastPath();
        service.Runtime.RetryBudget.RecordRequest(start);
        SetRequestId();
        (_status, _responseBytes, _flushedBytes, _proxyFailure, _closeClient, _cutByProxy, _bodySent, _start, _end) = (0, 0, 0, false, false, false, false, start, NoTimestamp);
    }

    /// <summary>Records the request's sample (metrics, the access log); true when the client connection ends with it.</summary>
    private bool Finish(long start, CompiledRoute route, CompiledService service, CompiledRevision revision, CompiledEndpoint? endpoint)
    {
        if (_end == NoTimestamp)
        {
            // No response was relayed (the proxy answered, or the client left): the request ends now.
            _end = _engine.Time.GetTimestamp();
        }

        var recorded = _clientGone && !_cutByProxy && _status is 0 or >= 500 ? 0 : _status;
        var sample = new RequestSample(
            service.Name, revision.Name, route.Name, endpoint?.Id, recorded, _engine.Time.GetElapsedTime(start, _end),
            _bodySent ? _head.BodyLength : 0, _responseBytes, _proxyFailure, Shielded: false);
        _engine.Forwarder.Record(in sample, this);
        return _clientGone || _closeClient || _head.Close;
    }

    /// <summary>The client's X-Request-Id when acceptable, else a new one; kept as bytes (a string only for the access log).</summary>
    private void SetRequestId()
    {
        if (_head.RequestId >= 0)
        {
            var id = _head.Value(_head.RequestId);
            id.CopyTo(_requestId);
            _requestIdLength = id.Length;
        }
        else
        {
            RequestIds.Next(_requestId);
            _requestIdLength = RequestIds.Length;
        }
    }

    /// <summary>The Host header as a string; the previous request's string while the bytes are the same.</summary>
    private string HostString()
    {
        var bytes = _head.Value(_head.Host);
        if (!SameText(bytes, _host))
        {
            _host = Encoding.ASCII.GetString(bytes);
        }

        return _host;
    }

    /// <summary>The path (undecoded equals decoded: the parser admits no escapes or dot segments); cached like the host.</summary>
    private string PathString()
    {
        var bytes = _head.Path;
        if (!SameText(bytes, _path))
        {
            _path = Encoding.ASCII.GetString(bytes);
        }

        return _path;
    }

    /// <summary>
    /// The headers as the general path's dictionary, for routes that match on headers and services with more than one
    /// revision (pins, affinity): the same matching and selection code then runs on both engines. Built per request,
    /// so those requests allocate.
    /// </summary>
    private HeaderDictionary Headers()
    {
        if (_headers is null)
        {
            _headers = new HeaderDictionary(_head.HeaderCount);
            for (var i = 0; i < _head.HeaderCount; i++)
            {
                _headers[Encoding.ASCII.GetString(_head.Name(i))] = Encoding.Latin1.GetString(_head.Value(i));
            }
        }

        return _headers;
    }

    private static bool SameText(ReadOnlySpan<byte> bytes, string text)
    {
        if (bytes.Length != text.Length)
        {
            return false;
        }

        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != text[i])
            {
                return false;
            }
        }

        return true;
    }
}
