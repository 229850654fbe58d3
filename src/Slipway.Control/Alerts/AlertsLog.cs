using Microsoft.Extensions.Logging;
using Slipway.Core.Logging;

namespace Slipway.Control.Alerts;

/// <summary>Log messages of the alert engine and the notifier.</summary>
internal static partial class AlertsLog
{
    [LoggerMessage(EventIds.AlertsEvaluationFailed, LogLevel.Error, "Evaluating alert rule {Rule} failed: {Reason}")]
    public static partial void EvaluationFailed(ILogger logger, string rule, string reason);

    [LoggerMessage(EventIds.AlertsTransition, LogLevel.Information, "Alert {Rule} {State}: {Labels}")]
    public static partial void Transition(ILogger logger, string rule, string state, string labels);

    // Debug: each attempt; the daemon reports a receiver's failures once they are final, and at most every few minutes.
    [LoggerMessage(EventIds.AlertsDeliveryFailed, LogLevel.Debug, "Notification to receiver {Receiver} failed (attempt {Attempt}): {Reason}")]
    public static partial void DeliveryFailed(ILogger logger, string receiver, int attempt, string reason);

    [LoggerMessage(EventIds.AlertsSilencesUnreadable, LogLevel.Warning, "Silences in {Path} could not be read and start empty: {Reason}")]
    public static partial void SilencesUnreadable(ILogger logger, string path, string reason);
}
