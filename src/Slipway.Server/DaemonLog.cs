using Microsoft.Extensions.Logging;

namespace Slipway.Server;

/// <summary>The daemon host's messages. Event ids 1500–1599.</summary>
internal static partial class DaemonLog
{
    [LoggerMessage(1500, LogLevel.Information, "Slipway daemon for app {App} started; state in {StateDirectory}")]
    public static partial void Started(ILogger logger, string app, string stateDirectory);

    [LoggerMessage(1501, LogLevel.Information, "Shutting down: draining and stopping every instance")]
    public static partial void Stopping(ILogger logger);
}
