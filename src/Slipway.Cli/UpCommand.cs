using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Slipway.Core.Manifest.Model;
using Slipway.Server;

namespace Slipway.Cli;

/// <summary><c>slipway up</c> (foreground, for a terminal) and <c>slipway serve</c> (the same, for a service manager).</summary>
internal static class UpCommand
{
    public static Command Create(CliOutput output, string name = "up")
    {
        var file = new Argument<string>("FILE") { Description = "The manifest, e.g. slipway.yaml." };
        var stateDir = StateDirectoryOption.Create();
        var versions = new Option<string[]>("--version")
        {
            Description = "Run VERSION of SERVICE: SERVICE=VERSION (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        var api = new Option<string>("--api")
        {
            Description = "Where the control API listens, HOST:PORT (default 127.0.0.1:7700); off loopback it needs --api-cert.",
            DefaultValueFactory = _ => "127.0.0.1:7700",
        };
        var apiCert = new Option<string?>("--api-cert") { Description = "Serve the control API over HTTPS with this PEM certificate chain (required when --api is not loopback)." };
        var apiKey = new Option<string?>("--api-key") { Description = "The --api-cert's PEM private key (default: in the --api-cert file)." };
        var takeover = new Option<bool>("--takeover")
        {
            Description = "Take over from the daemon running on the same state directory without dropping a request: it hands over its listening sockets and instances (a planned restart or an upgrade of slipway). Starts normally when none runs.",
        };
        var description = name == "up"
            ? "Start the app's services and keep them running, in the foreground; Ctrl-C drains and stops them."
            : "Run the daemon (as `up`, for systemd or a container): SIGTERM drains and stops everything.";
        var command = new Command(name, description) { file, stateDir, versions, api, apiCert, apiKey, takeover };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            output, parsed.GetValue(file)!, parsed.GetValue(stateDir), parsed.GetValue(versions) ?? [], parsed.GetValue(api)!, parsed.GetValue(takeover),
            parsed.GetValue(apiCert), parsed.GetValue(apiKey)));
        return command;
    }

    private static async Task<int> RunAsync(
        CliOutput output, string path, string? stateDir, string[] versionArgs, string apiText, bool takeover, string? apiCert, string? apiKey)
    {
        if (apiKey is not null && apiCert is null)
        {
            await output.Error.WriteLineAsync("slipway: --api-key needs --api-cert, the certificate it belongs to").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (CliManifest.Load(output, path) is not { } result)
        {
            return ExitCodes.Usage;
        }

        // What is not supported yet (autoscale...) is refused by the loader, for validate and up alike.
        var manifest = result.Manifest!;
        if (!TryParseVersions(manifest, versionArgs, out var overrides, out var versionError))
        {
            await output.Error.WriteLineAsync($"slipway: {versionError}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (!HostPort.TryParse(apiText, out var apiListen, out var apiError) && !(apiText.EndsWith(":0", StringComparison.Ordinal) && HostPort.TryParse(apiText[..^1] + "1", out apiListen, out _)))
        {
            await output.Error.WriteLineAsync($"slipway: --api {apiError} (got \"{apiText}\")").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (apiText.EndsWith(":0", StringComparison.Ordinal))
        {
            apiListen = apiListen with { Port = 0 }; // port 0: the OS picks one; the daemon prints where
        }

        Func<string, string?> environment;
        try
        {
            environment = DaemonHardening.Apply();
        }
        catch (InvalidOperationException e)
        {
            await output.Error.WriteLineAsync($"slipway: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }

        using var shutdown = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // we stop gracefully ourselves
            shutdown.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var loggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter("Slipway.Supervisor", LogLevel.Warning)
            .AddFilter(EdgeProxy.AccessLogCategory, LogLevel.Information)); // written only when proxy.accessLog is on
        var daemon = new SlipwayDaemon(manifest, new DaemonOptions
        {
            ManifestPath = path,
            StateDirectory = stateDir,
            VersionOverrides = overrides,
            Api = apiListen,
            ApiCertificate = apiCert is null ? null : Path.GetFullPath(apiCert),
            ApiKey = apiKey is null ? null : Path.GetFullPath(apiKey),
            Takeover = takeover,
            Environment = environment,
        }, TimeProvider.System, loggers);
        try
        {
            return await daemon.RunAsync(output.Out, output.Error, shutdown.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            await output.Error.WriteLineAsync($"slipway: cannot run: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }

    private static bool TryParseVersions(AppManifest manifest, string[] args, out Dictionary<string, string> overrides, out string? error)
    {
        overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var arg in args)
        {
            var eq = arg.IndexOf('=');
            if (eq <= 0)
            {
                error = $"--version must be SERVICE=VERSION (got \"{arg}\")";
                return false;
            }

            var service = arg[..eq];
            var version = arg[(eq + 1)..];
            if (!manifest.Services.TryGetValue(service, out var spec) || !spec.HasRevisions)
            {
                error = $"--version {arg}: the manifest has no service {service} that Slipway runs or serves";
                return false;
            }

            if (!RevisionNames.IsValidVersion(version))
            {
                error = $"--version {arg}: a version is {RevisionNames.VersionRule}";
                return false;
            }

            overrides[service] = version;
        }

        error = null;
        return true;
    }
}
