using System.Globalization;
using Slipway.Control.Runtime;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Core.Processes;

namespace Slipway.Control.Rollouts;

/// <summary>
/// Runs a deploy hook command (never through a shell) with its timeout. It runs as the revision it is about would:
/// the app's shared variables, that revision's <c>run.env</c> and <c>run.secrets</c> (a migration needs the database
/// password), then the hook's own <c>env</c>; placeholders name that revision. Secret values never reach what is
/// reported: the failure line is redacted.
/// </summary>
internal static class HookRunner
{
    /// <param name="spec">The spec of the revision the hook is about (the new one; for <c>rollback</c>, the one undone).</param>
    /// <param name="extra">Variables set last, e.g. the revision a rollback returns to.</param>
    /// <returns>Null when the command succeeded; otherwise what went wrong, in one line.</returns>
    public static async Task<string?> RunAsync(RolloutContext context, HookCommand hook, string service, ServiceSpec spec, string revision, string version,
        CancellationToken cancel, IReadOnlyDictionary<string, string>? extra = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["VERSION"] = version,
            ["SERVICE"] = service,
            ["REVISION"] = revision,
            ["MANIFEST_DIR"] = context.ManifestDirectory,
        };
        if (context.StateDirectory is { } stateDirectory)
        {
            values["STATE_DIR"] = stateDirectory;
        }

        var environment = ChildEnvironment.ForService(spec.Run, values, context.Host.SharedEnvironment, Secret(context), out var missing);
        if (missing is not null)
        {
            return $"it needs secret {missing} (run.secrets of {service}), which is not set; set it with `slipway secrets set {missing}`";
        }

        var redactor = new SecretRedactor((spec.Run?.Secrets ?? []).Where(environment.ContainsKey).Select(n => (n, environment[n])));
        ProcessSpec process;
        try
        {
            foreach (var (key, value) in hook.Env)
            {
                environment[key] = Placeholders.Expand(value, values);
            }

            environment["SLIPWAY_SERVICE"] = service;
            environment["SLIPWAY_REVISION"] = revision;
            environment["SLIPWAY_VERSION"] = version;
            foreach (var (key, value) in extra ?? new Dictionary<string, string>())
            {
                environment[key] = value;
            }

            process = new ProcessSpec(Placeholders.Expand(hook.Command, values), [.. hook.Args.Select(a => Placeholders.Expand(a, values))], environment, context.ManifestDirectory);
        }
        catch (KeyNotFoundException e)
        {
            return $"`{hook.Command}` uses an {e.Message} (a hook has ${{VERSION}}, ${{SERVICE}}, ${{REVISION}}, ${{STATE_DIR}} and ${{MANIFEST_DIR}})";
        }

        ToolResult result;
        try
        {
            result = await context.Runner.RunToolAsync(process, hook.Timeout, cancel).ConfigureAwait(false);
        }
        catch (ProcessStartException e)
        {
            return e.Message;
        }

        if (result.TimedOut)
        {
            return redactor.Redact($"`{process}` did not finish within {DurationText.Format(hook.Timeout)}");
        }

        if (result.ExitCode != 0)
        {
            var said = LastLine(result.Stderr) ?? LastLine(result.Stdout);
            return redactor.Redact($"`{process}` exited with code {result.ExitCode.ToString(CultureInfo.InvariantCulture)}{(said is null ? "" : $": {said}")}");
        }

        return null;
    }

    private static Func<string, string?> Secret(RolloutContext context) =>
        name => context.Secrets is { } secrets && secrets.TryGet(name, out var value) ? value : null;

    private static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
}
