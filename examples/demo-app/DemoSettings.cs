using System.Globalization;

namespace Slipway.DemoApp;

/// <summary>What the operator asked for, validated. Every problem is reported at once.</summary>
internal sealed record DemoSettings
{
    public DemoMode Mode { get; init; } = DemoMode.Http;
    public int? Port { get; init; }
    public string? Urls { get; init; }
    public string Version { get; init; } = "1";
    public required string Instance { get; init; }
    public double FailRate { get; init; }

    /// <summary>Share of app requests answered 200 but counted in <c>demo_payments_failed_total</c>: a business failure the status codes do not show.</summary>
    public double PaymentFailRate { get; init; }
    public TimeSpan Latency { get; init; }
    public TimeSpan LatencyJitter { get; init; }
    public TimeSpan StartupDelay { get; init; }
    public TimeSpan? CrashAfter { get; init; }
    public TimeSpan ReadyAfter { get; init; }
    public TimeSpan? UnhealthyAfter { get; init; }
    public bool IgnoreSigterm { get; init; }
    public int MemoryMb { get; init; }
    public bool SpawnChild { get; init; }

    /// <summary>Threads that spin from start until exit: a CPU-bound service for quota and autoscaling tests.</summary>
    public int BurnCores { get; init; }
    public TimeSpan WorkInterval { get; init; } = TimeSpan.FromSeconds(1);
    public bool LogRequests { get; init; }
    public bool LogErrors { get; init; }
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Path prefixes passed on to other services, as a gateway in front of them does.</summary>
    public IReadOnlyList<ForwardRule> Forward { get; init; } = [];

    /// <summary>Reads the environment and <paramref name="args"/>; throws <see cref="SettingsException"/> listing every problem.</summary>
    public static DemoSettings Load(IReadOnlyList<string> args, Func<string, string?> environment, int pid)
    {
        var errors = new List<string>();
        var values = SettingsReader.Read(args, environment, errors);
        string? Get(string name) => values.TryGetValue(name, out var v) ? v : null;

        TimeSpan? Duration(string name)
        {
            if (Get(name) is not { } text)
            {
                return null;
            }

            if (Durations.TryParse(text, out var d))
            {
                return d;
            }

            errors.Add($"{name}: '{text}' is not a duration (250ms, 5s, 2m, 1h or milliseconds)");
            return null;
        }

        bool Flag(string name)
        {
            switch (Get(name)?.Trim().ToUpperInvariant())
            {
                case null or "FALSE" or "0" or "NO" or "OFF":
                    return false;
                case "TRUE" or "1" or "YES" or "ON":
                    return true;
                default:
                    errors.Add($"{name}: '{Get(name)}' is not true or false");
                    return false;
            }
        }

        int Integer(string name, int min, int max)
        {
            if (Get(name) is not { } text)
            {
                return 0;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
            {
                return n;
            }

            errors.Add($"{name}: '{text}' must be a whole number from {min} to {max}");
            return 0;
        }

        var mode = Get("DEMO_MODE")?.Trim().ToUpperInvariant() switch
        {
            null or "HTTP" => DemoMode.Http,
            "WORKER" => DemoMode.Worker,
            "TCP" => DemoMode.Tcp,
            _ => Error($"DEMO_MODE: '{Get("DEMO_MODE")}' must be http, worker or tcp", DemoMode.Http),
        };

        int? port = Get("PORT") is null ? null : Integer("PORT", 0, 65535);
        var urls = Get("ASPNETCORE_URLS");
        if (port is null && (mode == DemoMode.Tcp || (mode == DemoMode.Http && urls is null)))
        {
            errors.Add(mode == DemoMode.Tcp ? "PORT is required in tcp mode" : "PORT (or --urls) is required in http mode");
        }

        double Fraction(string name)
        {
            if (Get(name) is not { } text)
            {
                return 0;
            }

            var percent = text.EndsWith('%');
            if (double.TryParse(percent ? text[..^1] : text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate)
                && (percent ? rate / 100 : rate) is >= 0 and <= 1 and var fraction)
            {
                return fraction;
            }

            errors.Add($"{name}: '{text}' must be a fraction from 0 to 1 or a percentage");
            return 0;
        }

        var failRate = Fraction("DEMO_FAIL_RATE");
        var paymentFailRate = Fraction("DEMO_PAYMENT_FAIL_RATE");

        var workInterval = Duration("DEMO_WORK_INTERVAL") ?? TimeSpan.FromSeconds(1);
        if (workInterval <= TimeSpan.Zero)
        {
            errors.Add("DEMO_WORK_INTERVAL: must be more than zero");
        }

        var settings = new DemoSettings
        {
            Mode = mode,
            Port = port,
            Urls = urls,
            Version = Get("DEMO_VERSION") ?? "1",
            Instance = Get("DEMO_INSTANCE") ?? Get("SLIPWAY_INSTANCE") ?? $"pid-{pid}",
            FailRate = failRate,
            PaymentFailRate = paymentFailRate,
            Latency = Duration("DEMO_LATENCY_MS") ?? TimeSpan.Zero,
            LatencyJitter = Duration("DEMO_LATENCY_JITTER_MS") ?? TimeSpan.Zero,
            StartupDelay = Duration("DEMO_STARTUP_DELAY") ?? TimeSpan.Zero,
            CrashAfter = Duration("DEMO_CRASH_AFTER"),
            ReadyAfter = Duration("DEMO_READY_AFTER") ?? TimeSpan.Zero,
            UnhealthyAfter = Duration("DEMO_UNHEALTHY_AFTER"),
            IgnoreSigterm = Flag("DEMO_IGNORE_SIGTERM"),
            MemoryMb = Integer("DEMO_MEMORY_MB", 0, 1024 * 1024),
            SpawnChild = Flag("DEMO_SPAWN_CHILD"),
            BurnCores = Integer("DEMO_BURN_CORES", 0, 64),
            WorkInterval = workInterval,
            LogRequests = Flag("DEMO_LOG_REQUESTS"),
            LogErrors = Flag("DEMO_LOG_ERRORS"),
            ShutdownTimeout = Duration("DEMO_SHUTDOWN_TIMEOUT") ?? TimeSpan.FromSeconds(30),
            Forward = Get("DEMO_FORWARD") is { } forward ? ForwardRule.ParseAll(forward, environment, errors) : [],
        };

        return errors.Count > 0 ? throw new SettingsException(errors) : settings;

        T Error<T>(string message, T fallback)
        {
            errors.Add(message);
            return fallback;
        }
    }
}
