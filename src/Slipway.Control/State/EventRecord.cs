namespace Slipway.Control.State;

/// <summary>One thing that happened, for <c>slipway events</c>.</summary>
/// <param name="Kind">A short stable word: started, exited, crash-looping, not-ready, oom, ...</param>
internal sealed record EventRecord(DateTimeOffset Time, string Service, string? Instance, string Kind, string Message);
