using Microsoft.Extensions.Logging;

namespace Slipway.Server.Api;

/// <summary>The control API's messages. Event ids 1600–1699. Never a token, never a secret value.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(1600, LogLevel.Information, "Control API listening on {Address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(1601, LogLevel.Warning, "Failed authentication from {Address}: {Reason}")]
    public static partial void AuthenticationFailed(ILogger logger, string address, string reason);

    [LoggerMessage(1602, LogLevel.Error, "Could not write the audit entry for {Method} {Route}")]
    public static partial void AuditFailed(ILogger logger, string method, string route, Exception exception);

    [LoggerMessage(1603, LogLevel.Error, "Unhandled error in {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, string method, string path, Exception exception);
}
