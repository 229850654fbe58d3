namespace Slipway.Control.Runtime;

/// <summary>One revision of a service as the supervisor runs it now: how many instances are wanted, ready, crash-looping.</summary>
internal sealed record RevisionState(string Revision, string Version, bool Current, int Desired, int Ready, int CrashLooping);
