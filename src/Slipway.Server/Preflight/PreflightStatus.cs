namespace Slipway.Server.Preflight;

/// <summary>How one preflight finding came out. <see cref="Skipped"/> always carries its reason in the evidence.</summary>
internal enum PreflightStatus
{
    Ok,
    Warn,
    Fail,
    Skipped,
}
