namespace Slipway.Control.Supervision;

/// <summary>What to do after an instance ended.</summary>
/// <param name="BecameCrashLooping">True only on the exit that crossed the crash-loop threshold, so it is reported once.</param>
internal readonly record struct RestartDecision(bool Restart, TimeSpan Delay, bool CrashLooping, bool BecameCrashLooping);
