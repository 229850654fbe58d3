using System.Text;

namespace Slipway.DemoApp;

/// <summary>
/// Collects the raw settings: each variable from the environment, then the
/// equivalent <c>--flag value</c> (or <c>--flag=value</c>) from the command line,
/// which wins. An unknown flag is an error rather than being ignored, so a typo
/// in a test cannot silently leave the app healthy.
/// </summary>
internal static class SettingsReader
{
    private static readonly (string Flag, string Variable, string Help)[] Known =
    [
        ("--port", "PORT", "port on 127.0.0.1 to listen on (http, tcp); 0 picks a free one"),
        ("--urls", "ASPNETCORE_URLS", "Kestrel URLs, overrides PORT (http)"),
        ("--mode", "DEMO_MODE", "http (default) | worker | tcp"),
        ("--version", "DEMO_VERSION", "version reported in bodies and X-Demo-Version (default 1)"),
        ("--instance", "DEMO_INSTANCE", "instance name reported (default SLIPWAY_INSTANCE, else pid-<pid>)"),
        ("--fail-rate", "DEMO_FAIL_RATE", "fraction 0..1 (or 0%..100%) of app requests answered 500"),
        ("--payment-fail-rate", "DEMO_PAYMENT_FAIL_RATE", "fraction 0..1 (or 0%..100%) of app requests answered 200 but counted as failed payments"),
        ("--latency-ms", "DEMO_LATENCY_MS", "latency added to app requests"),
        ("--latency-jitter-ms", "DEMO_LATENCY_JITTER_MS", "up to this much more latency, uniformly random"),
        ("--startup-delay", "DEMO_STARTUP_DELAY", "wait this long before listening"),
        ("--crash-after", "DEMO_CRASH_AFTER", "exit with code 1 this long after start"),
        ("--ready-after", "DEMO_READY_AFTER", "/ready answers 503 until this long after start"),
        ("--unhealthy-after", "DEMO_UNHEALTHY_AFTER", "/health answers 503 from this long after start"),
        ("--ignore-sigterm", "DEMO_IGNORE_SIGTERM", "true: log and ignore SIGTERM"),
        ("--memory-mb", "DEMO_MEMORY_MB", "allocate, touch and hold this many MiB"),
        ("--spawn-child", "DEMO_SPAWN_CHILD", "true: start a child `sleep 100000`"),
        ("--burn-cores", "DEMO_BURN_CORES", "keep this many cores busy from start until exit"),
        ("--work-interval", "DEMO_WORK_INTERVAL", "worker mode: time between units of work (default 1s)"),
        ("--log-requests", "DEMO_LOG_REQUESTS", "true: a log line per request"),
        ("--log-errors", "DEMO_LOG_ERRORS", "true: an error line per request answered 5xx"),
        ("--shutdown-timeout", "DEMO_SHUTDOWN_TIMEOUT", "how long in-flight work may take after SIGTERM (default 30s)"),
        ("--forward", "DEMO_FORWARD", "PREFIX=TARGET,...: requests under PREFIX are passed to TARGET (a URL, or a variable naming one): a gateway"),
    ];

    // Read from the environment only: the supervisor's name for the instance is the fallback for DEMO_INSTANCE.
    private static readonly string[] EnvironmentOnly = ["SLIPWAY_INSTANCE"];

    /// <summary>Returns the raw values by variable name; problems with the arguments go to <paramref name="errors"/>.</summary>
    public static IReadOnlyDictionary<string, string> Read(IReadOnlyList<string> args, Func<string, string?> environment, ICollection<string> errors)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in Known.Select(k => k.Variable).Concat(EnvironmentOnly))
        {
            if (environment(variable) is { Length: > 0 } value)
            {
                values[variable] = value;
            }
        }

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var flag = equals > 0 ? arg[..equals] : arg;
            var variable = Array.Find(Known, k => k.Flag == flag).Variable;
            if (variable is null)
            {
                errors.Add($"unknown argument '{arg}' (see --help)");
                continue;
            }

            if (equals > 0)
            {
                values[variable] = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                values[variable] = args[++i];
            }
            else
            {
                // A bare flag is a switch: `--ignore-sigterm` means true.
                values[variable] = "true";
            }
        }

        return values;
    }

    public static string Usage()
    {
        var text = new StringBuilder("usage: dotnet demo-app.dll [--flag value]...\n")
            .Append("Every flag has an environment variable; the flag wins. Durations: 250ms, 5s, 2m, 1h or milliseconds.\n\n");
        foreach (var (flag, variable, help) in Known)
        {
            text.Append($"  {flag,-20} {variable,-24} {help}\n");
        }

        return text.ToString();
    }
}
