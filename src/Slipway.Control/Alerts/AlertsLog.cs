using Microsoft.Extensions.Logging;

namespace Slipway.Control.Alerts;

/// <summary>Log messages of the alert engine and the notifier; event ids 7000–7099.</summary>
internal static partial class AlertsLog
{
    [LoggerMessage(7000, LogLevel.Error, "Evaluating alert rule {Rule} failed: {Reason}")]
    public static partial void EvaluationFailed(ILogger logger, string rule, string reason);

    [LoggerMessage(7001, LogLevel.Information, "Alert {Rule} {State}: {Labels}")]
    public static partial void Transition(ILogger logger, string rule, string state, string labels);

    // Debug: each attempt; the daemon reports a receiver's failures once they are final, and at most every few minutes.
    [LoggerMessage(7002, LogLevel.Debug, "Notification to receiver {Receiver} failed (attempt {Attempt}): {Reason}")]
    public static partial void DeliveryFailed(ILogger logger, string receiver, int attempt, string reason);

    [LoggerMessage(7003, LogLevel.Warning, "Silences in {Path} could not be read and start empty: {Reason}")]
    public static partial void SilencesUnreadable(ILogger logger, string path, string reason);
}
