using Slipway.DemoApp;

// Exit codes: 0 graceful stop, 1 DEMO_CRASH_AFTER (or an unexpected failure), 2 bad settings.
var uptime = new Uptime(TimeProvider.System);
var log = new JsonLog(Console.OpenStandardOutput(), uptime.Clock);

if (args is ["--help"] or ["-h"])
{
    Console.Out.Write(SettingsReader.Usage());
    return 0;
}

DemoSettings settings;
try
{
    settings = DemoSettings.Load(args, Environment.GetEnvironmentVariable, Environment.ProcessId);
}
catch (SettingsException e)
{
    foreach (var error in e.Errors)
    {
        log.Error("invalid setting", ("error", error));
        Console.Error.WriteLine($"demo-app: {error}");
    }

    return 2;
}

using var signals = new ShutdownSignals(settings.IgnoreSigterm, log);
log.Info(
    "starting",
    ("version", settings.Version),
    ("instance", settings.Instance),
    ("mode", settings.Mode.ToString().ToLowerInvariant()),
    ("port", settings.Port),
    ("pid", Environment.ProcessId));

using var crash = settings.CrashAfter is { } crashAfter ? Faults.ScheduleCrash(crashAfter, uptime, log) : null;
int? childPid = settings.SpawnChild ? Faults.SpawnChild() : null;
if (childPid is not null)
{
    log.Info("child started", ("childPid", childPid));
}

if (settings.MemoryMb > 0)
{
    Faults.HoldMemory(settings.MemoryMb);
    log.Info("memory held", ("megabytes", settings.MemoryMb));
}

if (settings.BurnCores > 0)
{
    Faults.BurnCores(settings.BurnCores);
    log.Info("burning", ("cores", settings.BurnCores));
}

var state = new AppState(settings, uptime) { ChildPid = childPid };
try
{
    if (settings.StartupDelay > TimeSpan.Zero)
    {
        await Task.Delay(uptime.Until(settings.StartupDelay), uptime.Clock, signals.Token);
    }

    await (settings.Mode switch
    {
        DemoMode.Worker => WorkerMode.RunAsync(settings, state, log, signals.Token),
        DemoMode.Tcp => TcpEchoMode.RunAsync(settings, state, log, signals.Token),
        _ => HttpMode.RunAsync(settings, state, log, signals.Token),
    });
}
catch (OperationCanceledException) when (signals.Token.IsCancellationRequested)
{
    // Stopped during the start-up delay: nothing was listening yet.
}
catch (Exception e)
{
    log.Error("failed", ("error", e.Message), ("type", e.GetType().FullName));
    return 1;
}

log.Info("stopped", ("exitCode", 0), ("uptimeMs", uptime.Elapsed));
return 0;
