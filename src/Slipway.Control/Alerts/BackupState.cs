namespace Slipway.Control.Alerts;

/// <summary>What backup alerts need to know about one backup of the manifest.</summary>
/// <param name="LastSuccess">When the newest successful backup finished; null when there is none.</param>
/// <param name="LastFailed">Whether the newest backup attempt failed.</param>
internal sealed record BackupState(string Name, DateTimeOffset? LastSuccess, bool LastFailed);
