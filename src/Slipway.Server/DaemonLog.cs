using Microsoft.Extensions.Logging;
using Slipway.Core.Logging;

namespace Slipway.Server;

/// <summary>The daemon host's messages.</summary>
internal static partial class DaemonLog
{
    [LoggerMessage(EventIds.DaemonStarted, LogLevel.Information, "Slipway daemon for app {App} started; state in {StateDirectory}")]
    public static partial void Started(ILogger logger, string app, string stateDirectory);

    [LoggerMessage(EventIds.DaemonStopping, LogLevel.Information, "Shutting down: draining and stopping every instance")]
    public static partial void Stopping(ILogger logger);
}
