using System.Globalization;
using Slipway.Control.Runtime;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Core.Processes;

namespace Slipway.Control.Jobs;

/// <summary>
/// What one run of a job starts: its command with placeholders filled, in its working directory, with the app's shared
/// variables, its service's <c>run.env</c> and <c>run.secrets</c> (with <c>service:</c>), its own <c>env</c> and
/// <c>secrets</c>, and <c>SLIPWAY_JOB</c>, <c>SLIPWAY_JOB_RUN</c>; output appended to its log file.
/// </summary>
internal static class JobProcess
{
    /// <returns>False, with why in <paramref name="error"/>, when the run cannot start (a secret not set, its service gone).</returns>
    public static bool TryBuild(JobContext context, string name, JobSpec job, long runId, string logPath,
        out ProcessSpec? spec, out SecretRedactor redactor, out string? error)
    {
        spec = null;
        redactor = SecretRedactor.None;
        error = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["JOB"] = name,
            ["STATE_DIR"] = context.StateDirectory,
            ["MANIFEST_DIR"] = context.ManifestDirectory,
        };
        ServiceSpec? service = null;
        if (job.Service is { } serviceName)
        {
            if (context.CurrentRevision(serviceName) is not { } current)
            {
                error = $"its service {serviceName} has no current revision in this daemon";
                return false;
            }

            service = current.Spec;
            values["SERVICE"] = serviceName;
            values["VERSION"] = current.Version;
        }

        Func<string, string?> secret = n => context.Secrets is { } secrets && secrets.TryGet(n, out var value) ? value : null;
        var environment = ChildEnvironment.ForService(service?.Run, values, context.SharedEnvironment(), secret, out var missing);
        foreach (var (key, value) in job.Env)
        {
            environment[key] = Placeholders.Expand(value, values);
        }

        ChildEnvironment.AddSecrets(environment, job.Secrets, secret, ref missing);
        if (missing is not null)
        {
            error = $"it needs secret {missing}, which is not set; set it with `slipway secrets set {missing}`";
            return false;
        }

        environment["SLIPWAY_JOB"] = name;
        environment["SLIPWAY_JOB_RUN"] = runId.ToString(CultureInfo.InvariantCulture);
        var names = (service?.Run?.Secrets ?? []).Concat(job.Secrets).Distinct(StringComparer.Ordinal);
        redactor = new SecretRedactor(names.Where(environment.ContainsKey).Select(n => (n, environment[n])));
        spec = new ProcessSpec(
            Placeholders.Expand(job.Run.Command, values),
            [.. job.Run.Args.Select(a => Placeholders.Expand(a, values))],
            environment,
            // The rule validate checks the directory by (JobRules): the job's workdir, its service's, the manifest's.
            Path.GetFullPath(job.Workdir ?? service?.Run?.Workdir ?? ".", context.ManifestDirectory))
        {
            StdoutPath = logPath,
            StderrPath = logPath,
        };
        return true;
    }

    /// <summary>Where a run's whole output goes: <c>STATE_DIR/jobs/JOB/RUN.log</c>.</summary>
    public static string LogPath(string stateDirectory, string job, long runId) =>
        Path.Combine(stateDirectory, "jobs", job, runId.ToString(CultureInfo.InvariantCulture) + ".log");
}
