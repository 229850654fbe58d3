using Microsoft.Extensions.Logging;
using Slipway.Core.Logging;

namespace Slipway.Control.Supervision;

/// <summary>The supervisor's log messages.</summary>
internal static partial class SupervisorLog
{
    [LoggerMessage(EventIds.SupervisorControllerFailed, LogLevel.Error, "{Instance}: the controller failed unexpectedly; it will start over")]
    public static partial void ControllerFailed(ILogger logger, string instance, Exception exception);
}
