using Slipway.Core.Routing;

namespace Slipway.Proxy.Forwarding;

internal sealed partial class Forwarder
{
    private void Record(ProxyContext context, long start)
    {
        var route = context.Route;
        var status = context.ClientAborted && context.StatusCode is 0 or >= 500 ? 0 : context.StatusCode;
        var sample = new RequestSample(
            route?.Service?.Name ?? route?.Model.Service ?? string.Empty,
            context.Revision?.Name ?? string.Empty,
            route?.Name ?? string.Empty,
            context.Endpoint?.Id,
            status,
            _time.GetElapsedTime(start),
            context.RequestBytes,
            context.ResponseBytes,
            context.ProxyFailure,
            Shielded: false,
            context.Refusal,
            context.WafClass,
            context.WafBlocked);
        _metrics.Record(in sample);

        // Sampling thins out the successes only: every server error and every request without an answer is logged.
        if (_accessLog.Enabled
            && (status is 0 or >= 500 || Interlocked.Increment(ref _accessLogCounter) % Math.Max(1, _accessLog.SampleEvery) == 0))
        {
            var request = context.Http.Request;
            Log.Access(
                _logger, request.Method, request.Host.Value, request.Path.Value + request.QueryString.Value, status,
                sample.Duration.TotalMilliseconds, context.ClientAddressText, sample.Service, sample.Revision, sample.Route, sample.EndpointId, context.RequestId);
        }
    }

    /// <summary>The canary's own sample for a request the canary shield moved to stable.</summary>
    private void RecordShielded(ProxyContext context, long attemptStart, AttemptOutcome outcome)
    {
        var sample = new RequestSample(
            context.Route!.Service!.Name,
            context.Revision!.Name,
            context.Route.Name,
            context.Endpoint?.Id,
            outcome == AttemptOutcome.ShieldedServerError ? context.StatusCode : StatusCodesForShield,
            _time.GetElapsedTime(attemptStart),
            context.RequestBytes,
            0,
            ProxyFailure: outcome != AttemptOutcome.ShieldedServerError,
            Shielded: true);
        _metrics.Record(in sample);
        context.StatusCode = 0;
    }

    private const int StatusCodesForShield = 502;
}
