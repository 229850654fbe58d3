using Microsoft.Extensions.Logging;

namespace Slipway.Control.Supervision;

/// <summary>The supervisor's log messages. Event ids 1000–1099 belong to supervision.</summary>
internal static partial class SupervisorLog
{
    [LoggerMessage(1002, LogLevel.Error, "{Instance}: the controller failed unexpectedly; it will start over")]
    public static partial void ControllerFailed(ILogger logger, string instance, Exception exception);
}
