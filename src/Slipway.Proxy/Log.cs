using Microsoft.Extensions.Logging;
using Slipway.Core.Logging;

namespace Slipway.Proxy;

/// <summary>Every log line the proxy writes.</summary>
internal static partial class Log
{
    [LoggerMessage(EventIds.ProxyListening, LogLevel.Information, "Proxy listening on {Addresses}")]
    public static partial void Listening(ILogger logger, string addresses);

    [LoggerMessage(EventIds.ProxyInternalListener, LogLevel.Information, "Service-to-service listener 127.0.0.1:{Port} reaches {Service}")]
    public static partial void InternalListener(ILogger logger, int port, string service);

    [LoggerMessage(EventIds.ProxyTablePublished, LogLevel.Debug, "Routing table {Generation} published: {Routes} routes, {Services} services")]
    public static partial void TablePublished(ILogger logger, long generation, int routes, int services);

    [LoggerMessage(EventIds.ProxyUnknownBalancer, LogLevel.Warning, "Service {Service} names unknown load-balancing policy '{Policy}'; using power-of-two")]
    public static partial void UnknownBalancer(ILogger logger, string service, string policy);

    [LoggerMessage(EventIds.ProxyEndpointEjected, LogLevel.Warning, "Endpoint {Endpoint} of {Service} ejected after failures (ejection #{Count})")]
    public static partial void EndpointEjected(ILogger logger, string endpoint, string service, int count);

    [LoggerMessage(EventIds.ProxyAttemptFailed, LogLevel.Debug, "Request to {Endpoint} failed before a response ({Failure}); attempt {Attempt}")]
    public static partial void AttemptFailed(ILogger logger, string endpoint, string failure, int attempt, Exception exception);

    [LoggerMessage(EventIds.ProxyResponseAborted, LogLevel.Debug, "Response from {Endpoint} broke off after it started: {Reason}")]
    public static partial void ResponseAborted(ILogger logger, string endpoint, string reason, Exception? exception);

    [LoggerMessage(EventIds.ProxyResponseTooSlow, LogLevel.Information, "Connection from {Client} aborted: the response was not read at the minimum data rate ({BytesPerSecond} B/s after {GracePeriod}) id={RequestId}")]
    public static partial void ResponseTooSlow(ILogger logger, string client, double bytesPerSecond, TimeSpan gracePeriod, string requestId);

    [LoggerMessage(EventIds.ProxyUnexpected, LogLevel.Error, "Unexpected proxy failure")]
    public static partial void Unexpected(ILogger logger, Exception exception);

    [LoggerMessage(EventIds.ProxyAccess, LogLevel.Information, "{Method} {Host}{Target} {Status} {DurationMs:F1}ms client={Client} service={Service} revision={Revision} route={Route} endpoint={Endpoint} id={RequestId}")]
    public static partial void Access(
        ILogger logger, string method, string? host, string target, int status, double durationMs, string client,
        string service, string revision, string route, string? endpoint, string requestId);

    [LoggerMessage(EventIds.ProxyWebSocketEnded, LogLevel.Debug, "WebSocket to {Endpoint} ended: {Reason}")]
    public static partial void WebSocketEnded(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventIds.ProxyWafMatch, LogLevel.Warning, "WAF {Mode}: rule {Rule} ({Class}) matched {Target} from {Client} on {Service} route {Route}: \"{Excerpt}\" id={RequestId}")]
    public static partial void WafMatch(
        ILogger logger, string mode, string rule, string @class, string target, string client, string service, string route, string excerpt, string requestId);

    [LoggerMessage(EventIds.ProxyShed, LogLevel.Warning, "Request to {Service} shed: every endpoint at its in-flight limit")]
    public static partial void Shed(ILogger logger, string service);

    [LoggerMessage(EventIds.ProxyCertificateLoaded, LogLevel.Information, "Certificate {Path} now serves {Names} (valid until {NotAfter:u})")]
    public static partial void CertificateLoaded(ILogger logger, string path, string names, DateTimeOffset notAfter);

    [LoggerMessage(EventIds.ProxyCertificateRejected, LogLevel.Error, "The changed certificate is not used, the one loaded before keeps serving: {Reason}")]
    public static partial void CertificateRejected(ILogger logger, string reason);

    [LoggerMessage(EventIds.ProxyAcmeIssued, LogLevel.Information, "ACME certificate for {Host}: {Result}")]
    public static partial void AcmeIssued(ILogger logger, string host, string result);

    [LoggerMessage(EventIds.ProxyAcmeStoredUnusable, LogLevel.Warning, "A stored ACME certificate cannot serve and is ordered again: {Reason}")]
    public static partial void AcmeStoredUnusable(ILogger logger, string reason);

    [LoggerMessage(EventIds.ProxyAcmeFailed, LogLevel.Error, "ACME certificate for {Host} not obtained: {Reason}")]
    public static partial void AcmeFailed(ILogger logger, string host, string reason);
}
