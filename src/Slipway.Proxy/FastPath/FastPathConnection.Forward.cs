using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Routing;
using Slipway.Proxy.Forwarding;
using Slipway.Proxy.LoadBalancing;
using Slipway.Proxy.Routing;
using System.Runtime.CompilerServices;

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
    /// The request whose head is in <see cref="_head"/>. Decides first, on the current routing table, whether the
    /// fast path takes it: a route with no edge steps, not the preview host, a service without an in-flight limit
    /// and no canary shield in play. Otherwise <see cref="Step.General"/> before anything is consumed. Once taken,
    /// the request runs the general path's steps through the same code: revision choice, endpoint pick, retries
    /// within the budget, passive health, metrics and the access log.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Step> ForwardAsync(PipeReader input, ReadOnlySequence<byte> buffer)
    {
        var start = _engine.Time.GetTimestamp();
        var table = _engine.Tables.Current;
        _headers = null;
        CompiledRoute? route;
        if (table.IsInternalPort(_localPort, out var internalService))
        {
            route = internalService?.InternalRoute;
        }
        else
        {
            route = table.Match(HostString(), PathString(), _head.Method, table.MatchesOnHeaders ? Headers() : NoHeaders);
        }

        if (route is null || !route.Edge.IsEmpty || route.Policy.Preview || route.Service is not { } service
            || service.Policy.MaxInFlight > 0 || (service.Policy.CanaryShield && service.Stable is not null && service.Revisions.Length > 1))
        {
            // No route, edge steps, the preview host, load shedding or the canary shield: the general path's to answer.
            return Step.General;
        }

        var revision = RevisionSelector.Select(
            service, service.Revisions.Length > 1 ? Headers() : NoHeaders, route.Policy.Affinity, ClientHash, _engine.Random, out var setAffinityCookie, out _);
        if (revision is null || revision.Site is not null)
        {
            // No revision to serve, or a static site: the edge answers a site from its files on the general path.
            return Step.General;
        }

        // Taken: from here the fast path answers this request. Its body is read from the pipe's buffer, which stays
        // valid until the request is consumed at the end.
        _body = buffer.Slice(_head.Length, _head.WireLength);
        try
        {
            _engine.Counters.OnRequest();
            _engine.Counters.OnFastPath();
            service.Runtime.RetryBudget.RecordRequest();
            SetRequestId();

            var filter = new EndpointFilter(_engine.Time.GetTimestamp(), service.Policy.MaxInFlight);
            var idempotent = Forwarder.IsIdempotent(_head.Method);
            var attempts = 0;
            var outcome = AttemptOutcome.ConnectFailed;
            CompiledEndpoint? endpoint = null;
            (_status, _responseBytes, _proxyFailure, _closeClient, _cutByProxy, _bodySent) = (0, 0, false, false, false, false);
            while (true)
            {
                attempts++;
                var picked = Forwarder.PickAndAcquire(ref filter, ClientHash, service, revision);
                if (picked is null)
                {
                    break;
                }

                endpoint = picked;
                try
                {
                    outcome = await ExchangeAsync(route, service, revision, endpoint, setAffinityCookie, attempts).ConfigureAwait(false);
                }
                finally
                {
                    endpoint.State.Release();
                }

                if (outcome is AttemptOutcome.Forwarded or AttemptOutcome.ClientAborted
                    || !_engine.Forwarder.MayRetry(service, outcome, bodyReplayable: !_bodySent, idempotent, attempts))
                {
                    break;
                }

                filter.Exclude(endpoint.Index);
            }

            if (outcome is not (AttemptOutcome.Forwarded or AttemptOutcome.ClientAborted) && !_clientGone)
            {
                var (status, body) = Forwarder.FailureAnswer(outcome, endpoint is not null);
                await AnswerAsync(status, body).ConfigureAwait(false);
            }

            var recorded = _clientGone && !_cutByProxy && _status is 0 or >= 500 ? 0 : _status;
            var sample = new RequestSample(
                service.Name, revision.Name, route.Name, endpoint?.Id, recorded, _engine.Time.GetElapsedTime(start),
                _bodySent ? _head.BodyLength : 0, _responseBytes, _proxyFailure, Shielded: false);
            _engine.Forwarder.Record(in sample, this);
            return _clientGone || _closeClient || _head.Close ? Step.Close : Step.Next;
        }
        finally
        {
            _body = default;
            input.AdvanceTo(buffer.GetPosition(_head.Length + _head.WireLength));
        }
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
