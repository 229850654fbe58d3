using Microsoft.Extensions.Logging;

namespace Slipway.Proxy;

/// <summary>Every log line the proxy writes. Event ids 4000–4099 belong to the proxy.</summary>
internal static partial class Log
{
    [LoggerMessage(4000, LogLevel.Information, "Proxy listening on {Addresses}")]
    public static partial void Listening(ILogger logger, string addresses);

    [LoggerMessage(4001, LogLevel.Information, "Service-to-service listener 127.0.0.1:{Port} reaches {Service}")]
    public static partial void InternalListener(ILogger logger, int port, string service);

    [LoggerMessage(4002, LogLevel.Debug, "Routing table {Generation} published: {Routes} routes, {Services} services")]
    public static partial void TablePublished(ILogger logger, long generation, int routes, int services);

    [LoggerMessage(4003, LogLevel.Warning, "Service {Service} names unknown load-balancing policy '{Policy}'; using power-of-two")]
    public static partial void UnknownBalancer(ILogger logger, string service, string policy);

    [LoggerMessage(4004, LogLevel.Warning, "Endpoint {Endpoint} of {Service} ejected after failures (ejection #{Count})")]
    public static partial void EndpointEjected(ILogger logger, string endpoint, string service, int count);

    [LoggerMessage(4005, LogLevel.Debug, "Request to {Endpoint} failed before a response ({Failure}); attempt {Attempt}")]
    public static partial void AttemptFailed(ILogger logger, string endpoint, string failure, int attempt, Exception exception);

    [LoggerMessage(4006, LogLevel.Debug, "Response from {Endpoint} broke off after it started: {Reason}")]
    public static partial void ResponseAborted(ILogger logger, string endpoint, string reason, Exception? exception);

    [LoggerMessage(4007, LogLevel.Error, "Unexpected proxy failure")]
    public static partial void Unexpected(ILogger logger, Exception exception);

    [LoggerMessage(4008, LogLevel.Information, "{Method} {Host}{Target} {Status} {DurationMs:F1}ms client={Client} service={Service} revision={Revision} route={Route} endpoint={Endpoint} id={RequestId}")]
    public static partial void Access(
        ILogger logger, string method, string? host, string target, int status, double durationMs, string client,
        string service, string revision, string route, string? endpoint, string requestId);

    [LoggerMessage(4009, LogLevel.Debug, "WebSocket to {Endpoint} ended: {Reason}")]
    public static partial void WebSocketEnded(ILogger logger, string endpoint, string reason);

    [LoggerMessage(4010, LogLevel.Warning, "Request to {Service} shed: every endpoint at its in-flight limit")]
    public static partial void Shed(ILogger logger, string service);
}
