namespace Slipway.Core.Logging;

/// <summary>
/// Every log event id Slipway writes, in one table (as YARP keeps its <c>EventIds</c>): a <c>[LoggerMessage]</c>
/// takes its id from here, so ids stay unique across projects and a log query by id finds one message. Each
/// subsystem has its own range; an id, once shipped, is not reused for another message.
/// </summary>
internal static class EventIds
{
    // The event journal (Control/Events).
    public const int JournalEvent = 1000;
    public const int JournalStoreFailed = 1001;

    // Supervision.
    public const int SupervisorControllerFailed = 1002;

    // Instance logs.
    public const int LogsDropped = 1200;
    public const int LogsRetentionDeleted = 1201;
    public const int LogsRetentionFailed = 1202;

    // The daemon host.
    public const int DaemonStarted = 1500;
    public const int DaemonStopping = 1501;

    // The control API.
    public const int ApiListening = 1600;
    public const int ApiAuthenticationFailed = 1601;
    public const int ApiAuditFailed = 1602;
    public const int ApiUnhandled = 1603;

    // Application metrics.
    public const int TelemetryScrapeRejected = 1700;
    public const int TelemetrySeriesLimit = 1701;

    // The autoscaler.
    public const int AutoscalerSyncFailed = 1800;
    public const int AutoscalerAuditFailed = 1801;

    // The proxy (data plane).
    public const int ProxyListening = 4000;
    public const int ProxyInternalListener = 4001;
    public const int ProxyTablePublished = 4002;
    public const int ProxyUnknownBalancer = 4003;
    public const int ProxyEndpointEjected = 4004;
    public const int ProxyAttemptFailed = 4005;
    public const int ProxyResponseAborted = 4006;
    public const int ProxyUnexpected = 4007;
    public const int ProxyAccess = 4008;
    public const int ProxyWebSocketEnded = 4009;
    public const int ProxyShed = 4010;
    public const int ProxyWafMatch = 4011;
    public const int ProxyCertificateLoaded = 4012;
    public const int ProxyCertificateRejected = 4013;
    public const int ProxyAcmeIssued = 4014;
    public const int ProxyAcmeFailed = 4015;
    public const int ProxyAcmeStoredUnusable = 4016;
    public const int ProxyResponseTooSlow = 4017;

    // Alerts and notifications.
    public const int AlertsEvaluationFailed = 7000;
    public const int AlertsTransition = 7001;
    public const int AlertsDeliveryFailed = 7002;
    public const int AlertsSilencesUnreadable = 7003;

    // Backups.
    public const int BackupStarted = 8000;
    public const int BackupSucceeded = 8001;
    public const int BackupFailed = 8002;
    public const int BackupVerified = 8003;
    public const int BackupVerifyFailed = 8004;
    public const int BackupDeleted = 8005;
    public const int BackupRestored = 8006;
    public const int BackupRecordFailed = 8007;
    public const int BackupWalReceiverStarted = 8008;
    public const int BackupWalReceiverExited = 8009;
    public const int BackupWalPruned = 8010;
    public const int BackupDrilled = 8011;
    public const int BackupScheduledRunFailed = 8012;
    public const int BackupWalShipFailed = 8013;
    public const int BackupCopyFailed = 8014;
    public const int BackupCopied = 8015;
}
