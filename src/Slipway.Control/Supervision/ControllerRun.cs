namespace Slipway.Control.Supervision;

/// <summary>One controller's loop and the token that stops just it (scale down, rolling restart) or, linked, everything.</summary>
internal sealed record ControllerRun(CancellationTokenSource Stop, Task Task);
