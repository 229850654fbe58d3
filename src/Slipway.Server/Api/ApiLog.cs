using Microsoft.Extensions.Logging;
using Slipway.Core.Logging;

namespace Slipway.Server.Api;

/// <summary>The control API's messages. Never a token, never a secret value.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(EventIds.ApiListening, LogLevel.Information, "Control API listening on {Address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(EventIds.ApiAuthenticationFailed, LogLevel.Warning, "Failed authentication from {Address}: {Reason}")]
    public static partial void AuthenticationFailed(ILogger logger, string address, string reason);

    [LoggerMessage(EventIds.ApiAuditFailed, LogLevel.Error, "Could not write the audit entry for {Method} {Route}")]
    public static partial void AuditFailed(ILogger logger, string method, string route, Exception exception);

    [LoggerMessage(EventIds.ApiUnhandled, LogLevel.Error, "Unhandled error in {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, string method, string path, Exception exception);
}
