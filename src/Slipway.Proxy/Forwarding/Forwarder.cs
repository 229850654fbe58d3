using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Slipway.Core.Routing;
using Slipway.Proxy.Edge;
using Slipway.Proxy.LoadBalancing;
using Slipway.Proxy.Routing;

namespace Slipway.Proxy.Forwarding;

/// <summary>
/// The request path: route, pick a revision and an endpoint, forward, retry when safe, record.
/// Reads one routing-table snapshot per request and takes no lock.
/// </summary>
internal sealed partial class Forwarder
{
    private readonly RoutingTablePublisher _tables;
    private readonly HttpMessageInvoker _client;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly IRequestMetricsSink _metrics;
    private readonly ProxyCounters _counters;
    private readonly AccessLogOptions _accessLog;
    private readonly int _queueLimit;
    private readonly bool _countServerErrors;
    private readonly EdgeSettings _edge;
    private readonly ILogger _logger;

    // Its own category ("Slipway.Access") so a host can let the access lines through at Information while it keeps
    // the proxy's other messages at Warning, as `slipway up` does.
    private readonly ILogger _accessLogger;
    private long _accessLogCounter;

    public Forwarder(
        RoutingTablePublisher tables,
        HttpMessageInvoker client,
        TimeProvider time,
        Random random,
        IRequestMetricsSink metrics,
        ProxyCounters counters,
        AccessLogOptions accessLog,
        int queueLimit,
        bool countServerErrors,
        EdgeSettings edge,
        ILogger logger,
        ILogger accessLogger)
    {
        _tables = tables;
        _client = client;
        _time = time;
        _random = random;
        _metrics = metrics;
        _counters = counters;
        _accessLog = accessLog;
        _queueLimit = queueLimit;
        _countServerErrors = countServerErrors;
        _edge = edge;
        _logger = logger;
        _accessLogger = accessLogger;
    }

    /// <summary>Server errors count as failures for passive health.</summary>
    internal bool CountServerErrors => _countServerErrors;

    /// <summary>
    /// Kestrel's entry point and the whole request. One method on purpose: while a request waits
    /// for the backend, only this state machine (and SocketsHttpHandler's) is on the heap rather
    /// than one per nested async method; the helpers it awaits after the send complete without
    /// suspending when the response body came with the headers.
    /// </summary>
    public async Task ProcessAsync(ProxyContext context)
    {
        var start = _time.GetTimestamp();
        _counters.OnRequest();
        context.BeginRequest();
        try
        {
            var http = context.Http;
            var request = http.Request;
            context.ResolveClient(_edge.TrustedProxies);
            context.RequestId = RequestIds.Accept(request.Headers[ProxyHeaderNames.XRequestId]) ?? RequestIds.Next();
            if (RequestFraming.IsAmbiguous(request.Headers))
            {
                // Refused, not re-framed: the backend never sees a request two parsers could read differently.
                await WriteErrorAsync(context, StatusCodes.Status400BadRequest, ErrorBodies.AmbiguousFraming).ConfigureAwait(false);
                return;
            }

            if (request.ContentLength > _edge.MaxRequestBody)
            {
                context.Refusal = EdgeRefusal.BodyTooLarge;
                await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, ErrorBodies.TooLarge).ConfigureAwait(false);
                return;
            }

            if (!context.IsHttps && _edge.Challenges?.AnswerFor(request.Path.Value) is { } keyAuthorization)
            {
                // The CA's HTTP-01 check for an order this edge placed: answered here, never by a backend or a redirect.
                await WriteAnswerAsync(context, StatusCodes.Status200OK, Encoding.ASCII.GetBytes(keyAuthorization), "application/octet-stream", 0, null).ConfigureAwait(false);
                return;
            }

            if (_edge.Redirect?.LocationFor(http, context.IsHttps) is { } location)
            {
                await WriteRedirectAsync(context, location).ConfigureAwait(false);
                return;
            }

            var table = _tables.Current;
            var held = false;
            CompiledRoute? route;
            while (true)
            {
                var isInternal = table.IsInternalPort(http.Connection.LocalPort, out var internalService);
                route = isInternal
                    ? internalService?.InternalRoute
                    : table.Match(request.Headers.Host, request.Path.Value is { Length: > 0 } path ? path : "/", request.Method, request.Headers);
                if (route is null && isInternal)
                {
                    // A service-to-service address whose service has no entry (yet): unavailable, not unknown.
                    await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorBodies.NoInstance).ConfigureAwait(false);
                    return;
                }

                if (route is null)
                {
                    _counters.OnNoRoute();
                    await WriteErrorAsync(context, StatusCodes.Status404NotFound, ErrorBodies.NoRoute).ConfigureAwait(false);
                    return;
                }

                context.Route = route;
                if (route.Edge.IsEmpty)
                {
                    break;
                }

                var verdict = route.Edge.Waf is { } waf
                    ? await CheckEdgeInspectingAsync(context, route, waf).ConfigureAwait(false)
                    : CheckEdge(context, route);
                if (verdict.Action == EdgeAction.Continue)
                {
                    break;
                }

                if (verdict.Action == EdgeAction.Hold && !held)
                {
                    // Held once: released, the request runs the steps again on the table that is current then.
                    held = true;
                    if (await verdict.Hold!.Gate.WaitAsync(verdict.Hold.HoldFor, _time, context.BackendToken).ConfigureAwait(false))
                    {
                        table = _tables.Current;
                        continue;
                    }
                }

                _counters.OnEdgeRefusal();
                await WriteRefusalAsync(context, verdict).ConfigureAwait(false);
                return;
            }

            var service = route.Service;
            var setAffinityCookie = false;
            var pinned = false;
            var noPreview = false;
            var revision = service is null
                ? null
                : route.Policy.Preview
                    ? RevisionSelector.SelectPreview(service, out noPreview)
                    : RevisionSelector.Select(service, request.Headers, route.Policy.Affinity, context.ClientHash, _random, out setAffinityCookie, out pinned);
            pinned |= route.Policy.Preview;
            if (noPreview)
            {
                _counters.OnNoRoute();
                await WriteErrorAsync(context, StatusCodes.Status404NotFound, ErrorBodies.NoPreview).ConfigureAwait(false);
                return;
            }

            if (service is null || revision is null)
            {
                await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorBodies.NoInstance).ConfigureAwait(false);
                return;
            }

            context.Revision = revision;
            if (revision.Site is { } site)
            {
                // A static site is the route's terminal handler: answered here, after the edge steps, by no backend.
                await site.ServeAsync(context, _edge.Headers).ConfigureAwait(false);
                return;
            }

            service.Runtime.RetryBudget.RecordRequest();
            var upgrade = route.Policy.WebSocket && IsWebSocketUpgrade(http);
            var content = upgrade ? null : CreateContent(context, route);
            if (content is not null)
            {
                // BackendStream reads the answer while this body is sent, and puts a chunked body's trailers in.
                BackendStream.Sending.Value = context;
            }

            var method = request.Method;
            var idempotent = IsIdempotent(method);
            var shieldable = IsShieldable(service, revision, pinned || upgrade, method);

            context.Filter = new EndpointFilter(_time.GetTimestamp(), service.Policy.MaxInFlight);
            var attempts = 0;
            var shielded = false;
            var outcome = AttemptOutcome.ConnectFailed;
            while (true)
            {
                attempts++;
                var endpoint = PickAndAcquire(ref context.Filter, context.ClientHash, service, revision);
                if (endpoint is null && attempts == 1 && service.Policy.MaxInFlight > 0)
                {
                    endpoint = await WaitForEndpointAsync(context, service, revision).ConfigureAwait(false);
                    if (endpoint is null)
                    {
                        if (context.ClientAborted)
                        {
                            return;
                        }

                        _counters.OnShed();
                        Log.Shed(_logger, service.Name);
                        await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorBodies.Overloaded, retryAfter: true).ConfigureAwait(false);
                        return;
                    }
                }

                if (endpoint is null)
                {
                    // Nothing left to try: report the last failure, or no instance at all.
                    break;
                }

                context.Endpoint = endpoint;
                var attemptStart = _time.GetTimestamp();
                try
                {
                    if (upgrade)
                    {
                        outcome = await ForwardWebSocketAsync(context, route, service, endpoint).ConfigureAwait(false);
                    }
                    else
                    {
                        // Awaited here rather than in a helper, so the wait adds no state machine of ours.
                        var message = CreateRequest(context, route, service, endpoint, content, upgrade: false);
                        context.ArmTimeout(content is null ? route.FirstByteTimeout : route.IdleTimeout);
                        HttpResponseMessage? response = null;
                        Exception? failure = null;
                        try
                        {
                            response = await _client.SendAsync(message, context.BackendToken).ConfigureAwait(false);
                        }
                        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException)
                        {
                            failure = exception;
                        }

                        outcome = response is null
                            ? await SendFailedAsync(context, service, endpoint, content, failure!).ConfigureAwait(false)
                            : await RespondAsync(context, route, service, endpoint, content, response, shieldable && !shielded, setAffinityCookie).ConfigureAwait(false);
                    }
                }
                finally
                {
                    endpoint.State.Release();
                }

                if (outcome is AttemptOutcome.Forwarded or AttemptOutcome.ClientAborted)
                {
                    return;
                }

                var bodyReplayable = content is null || !content.Started;
                if (shieldable && !shielded && bodyReplayable
                    && outcome is AttemptOutcome.ShieldedServerError or AttemptOutcome.ConnectFailed or AttemptOutcome.TransportFailed)
                {
                    // The canary failed before the client saw a byte: count it against the canary, answer
                    // from stable. Outside the retry budget: one retry per request, and stable then carries
                    // no more than the whole traffic it carried before the canary took a share.
                    RecordShielded(context, attemptStart, outcome);
                    _counters.OnShielded();
                    shielded = true;
                    revision = service.Stable!;
                    context.Revision = revision;
                    context.Filter.ClearExclusions();
                    attempts--;
                    continue;
                }

                if (outcome is AttemptOutcome.BodyTooLarge or AttemptOutcome.ClientBodyFailed)
                {
                    break;
                }

                if (shielded || !MayRetry(service, outcome, bodyReplayable, idempotent, attempts))
                {
                    break;
                }

                context.Filter.Exclude(endpoint.Index);
            }

            if (context.ClientAborted)
            {
                return;
            }

            var (status, body) = outcome == AttemptOutcome.ClientBodyFailed
                ? (context.ClientBodyStatus, context.ClientBodyStatus == StatusCodes.Status408RequestTimeout ? ErrorBodies.BodyTimedOut : ErrorBodies.BodyMalformed)
                : FailureAnswer(outcome, context.Endpoint is not null);
            await WriteErrorAsync(context, status, body).ConfigureAwait(false);
        }
        catch (Exception exception) when (context.ClientAborted)
        {
            Log.ResponseAborted(_logger, context.Endpoint?.Id ?? "-", "client went away", exception);
            context.StatusCode = 0;
        }
        catch (Exception exception)
        {
            Log.Unexpected(_logger, exception);
            await WriteErrorAsync(context, StatusCodes.Status502BadGateway, ErrorBodies.BadGateway).ConfigureAwait(false);
        }
        finally
        {
            Record(context, start);
            context.EndRequest();
        }
    }

    /// <summary>An endpoint of the revision the filter allows, acquired under the service's in-flight limit; shared by both engines.</summary>
    internal static CompiledEndpoint? PickAndAcquire(ref EndpointFilter filter, uint clientHash, CompiledService service, CompiledRevision revision)
    {
        var maxInFlight = service.Policy.MaxInFlight;
        for (var tries = 0; tries < 4; tries++)
        {
            var endpoint = service.Balancer.Pick(revision, in filter, clientHash);
            if (endpoint is null && !filter.IgnoreHealth)
            {
                // Every allowed endpoint is ejected: better to try one than to fail everything.
                filter.IgnoreHealth = true;
                endpoint = service.Balancer.Pick(revision, in filter, clientHash);
            }

            if (endpoint is null)
            {
                return null;
            }

            if (endpoint.State.TryAcquire(maxInFlight))
            {
                return endpoint;
            }
        }

        return null;
    }

    /// <summary>Waits a short, bounded time in the service's queue for an endpoint under its in-flight limit.</summary>
    private async Task<CompiledEndpoint?> WaitForEndpointAsync(ProxyContext context, CompiledService service, CompiledRevision revision)
    {
        var start = _time.GetTimestamp();
        while (true)
        {
            var waiter = service.Runtime.TryEnqueue(_queueLimit);
            if (waiter is null)
            {
                return null;
            }

            try
            {
                // A slot may have come free between the failed pick and joining the queue.
                if (PickAndAcquire(ref context.Filter, context.ClientHash, service, revision) is { } endpoint)
                {
                    return endpoint;
                }

                var remaining = service.Policy.QueueTimeout - _time.GetElapsedTime(start);
                if (remaining <= TimeSpan.Zero)
                {
                    return null;
                }

                await waiter.Task.WaitAsync(remaining, _time, context.BackendToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return null;
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            finally
            {
                service.Runtime.Leave(waiter);
            }
        }
    }

    private StreamingRequestContent? CreateContent(ProxyContext context, CompiledRoute route)
    {
        var http = context.Http;
        var detection = http.Features.Get<IHttpRequestBodyDetectionFeature>();
        if (detection is { CanHaveBody: false })
        {
            return null;
        }

        return new StreamingRequestContent(http.Request.BodyReader, context, route.IdleTimeout, route.FirstByteTimeout, _edge.MaxRequestBody);
    }

    internal void ReportHealth(CompiledService service, CompiledEndpoint endpoint, bool failed) =>
        ReportHealth(service, endpoint, failed, _time.GetTimestamp());

    /// <summary><see cref="ReportHealth(CompiledService, CompiledEndpoint, bool)"/> at <paramref name="now"/>, a timestamp of the same clock the caller read already.</summary>
    internal void ReportHealth(CompiledService service, CompiledEndpoint endpoint, bool failed, long now)
    {
        if (!failed)
        {
            endpoint.State.Health.ReportSuccess(now);
            return;
        }

        _counters.OnBackendFailure();
        if (endpoint.State.Health.ReportFailure(now))
        {
            _counters.OnEjection();
            Log.EndpointEjected(_logger, endpoint.Id, service.Name, endpoint.State.Health.Ejections);
        }
    }

    /// <summary>
    /// Whether a try that ended in <paramref name="outcome"/> may be tried again elsewhere: only when safe (the body
    /// can be sent again; nothing reached the backend, or the method is idempotent), within the service's attempts
    /// and its retry budget. Counts the retry or the budget's refusal.
    /// </summary>
    internal bool MayRetry(CompiledService service, AttemptOutcome outcome, bool bodyReplayable, bool idempotent, int attempts)
    {
        var safe = bodyReplayable && (outcome == AttemptOutcome.ConnectFailed || (outcome == AttemptOutcome.TransportFailed && idempotent));
        if (!safe || attempts >= service.MaxAttempts)
        {
            return false;
        }

        if (!service.Runtime.RetryBudget.TryWithdraw())
        {
            _counters.OnRetryBudgetExhausted();
            return false;
        }

        _counters.OnRetry();
        return true;
    }

    /// <summary>The answer when no try succeeded.</summary>
    internal static (int Status, byte[] Body) FailureAnswer(AttemptOutcome outcome, bool triedAnEndpoint) => outcome switch
    {
        AttemptOutcome.BodyTooLarge => (StatusCodes.Status413PayloadTooLarge, ErrorBodies.TooLarge),
        AttemptOutcome.TimedOut => (StatusCodes.Status504GatewayTimeout, ErrorBodies.GatewayTimeout),
        _ when !triedAnEndpoint => (StatusCodes.Status503ServiceUnavailable, ErrorBodies.NoInstance),
        _ => (StatusCodes.Status502BadGateway, ErrorBodies.BadGateway),
    };

    /// <summary>The canary shield applies: a GET or HEAD the client did not pin, to a service whose canary takes traffic.</summary>
    internal static bool IsShieldable(CompiledService service, CompiledRevision revision, bool pinnedOrUpgrade, string method) =>
        service.Policy.CanaryShield && !pinnedOrUpgrade
        && service.Stable is { } stable && !ReferenceEquals(stable, revision)
        && (HttpMethods.IsGet(method) || HttpMethods.IsHead(method));

    internal static bool IsIdempotent(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
        || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method) || HttpMethods.IsTrace(method);
}
