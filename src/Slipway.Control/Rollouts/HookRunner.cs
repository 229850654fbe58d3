using System.Globalization;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Core.Processes;

namespace Slipway.Control.Rollouts;

/// <summary>Runs a deploy hook command (never through a shell) with its timeout; placeholders name the new revision.</summary>
internal static class HookRunner
{
    /// <returns>Null when the command succeeded; otherwise what went wrong, in one line.</returns>
    public static async Task<string?> RunAsync(RolloutContext context, HookCommand hook, string service, string revision, string version, CancellationToken cancel)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["VERSION"] = version,
            ["SERVICE"] = service,
            ["REVISION"] = revision,
            ["MANIFEST_DIR"] = context.ManifestDirectory,
        };
        var environment = ProcessSpec.BaseEnvironment();
        foreach (var (key, value) in hook.Env)
        {
            environment[key] = Placeholders.Expand(value, values);
        }

        environment["SLIPWAY_SERVICE"] = service;
        environment["SLIPWAY_REVISION"] = revision;
        environment["SLIPWAY_VERSION"] = version;
        var spec = new ProcessSpec(Placeholders.Expand(hook.Command, values), [.. hook.Args.Select(a => Placeholders.Expand(a, values))], environment, context.ManifestDirectory);
        ToolResult result;
        try
        {
            result = await context.Runner.RunToolAsync(spec, hook.Timeout, cancel).ConfigureAwait(false);
        }
        catch (ProcessStartException e)
        {
            return e.Message;
        }

        if (result.TimedOut)
        {
            return $"`{spec}` did not finish within {DurationText.Format(hook.Timeout)}";
        }

        if (result.ExitCode != 0)
        {
            var said = LastLine(result.Stderr) ?? LastLine(result.Stdout);
            return $"`{spec}` exited with code {result.ExitCode.ToString(CultureInfo.InvariantCulture)}{(said is null ? "" : $": {said}")}";
        }

        return null;
    }

    private static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
}
