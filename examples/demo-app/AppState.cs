namespace Slipway.DemoApp;

/// <summary>What changes while the app runs; read by probes and /info from any thread.</summary>
internal sealed class AppState(DemoSettings settings, Uptime uptime)
{
    private volatile bool _stopping;
    private int _inFlight;

    public Uptime Uptime => uptime;

    public int? ChildPid { get; init; }

    /// <summary>Set once shutdown begins: /ready then answers 503 so nothing new is routed here.</summary>
    public bool Stopping
    {
        get => _stopping;
        set => _stopping = value;
    }

    /// <summary>HTTP requests being handled now, this one included; lets drain tests see work in progress.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public void RequestStarted() => Interlocked.Increment(ref _inFlight);

    public void RequestEnded() => Interlocked.Decrement(ref _inFlight);

    public bool IsReady => !_stopping && uptime.Elapsed >= settings.ReadyAfter;

    public bool IsHealthy => settings.UnhealthyAfter is not { } after || uptime.Elapsed < after;
}
