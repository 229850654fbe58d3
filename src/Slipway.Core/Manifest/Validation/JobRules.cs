using Slipway.Core.Configuration;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Core.Processes;

namespace Slipway.Core.Manifest.Validation;

/// <summary>
/// What a job refers to outside itself: a service Slipway runs, a working directory that exists, and a command this
/// machine has (one written with placeholders is found only when the job runs).
/// </summary>
internal static class JobRules
{
    public static void Check(AppManifest manifest, string manifestDirectory, SpecContext root)
    {
        foreach (var (name, job) in manifest.Jobs)
        {
            var context = root.Under($"jobs.{name}");
            ServiceSpec? service = null;
            if (job.Service is { } serviceName)
            {
                if (!manifest.Services.TryGetValue(serviceName, out service))
                {
                    context.Error("service", ManifestRules.Unknown("service", serviceName, manifest.Services.Keys, "services"));
                }
                else if (service.Run is null)
                {
                    context.Error("service", $"names {serviceName}, an upstream; a job takes the `run` settings of a service Slipway runs");
                    service = null;
                }
            }

            var workdir = WorkingDirectory(job, service, manifestDirectory);
            if (!Directory.Exists(workdir))
            {
                context.Error(job.Workdir is null ? "service" : "workdir", $"names a directory that does not exist: {workdir}");
                continue;
            }

            var command = job.Run.Command;
            if (command.Length > 0 && Placeholders.Find(command).Count == 0
                && CommandLookup.Find(command, workdir, EnvironmentVariables.Get("PATH"), out var error) is null)
            {
                context.Error("run", error!);
            }
        }
    }

    /// <summary>Where a job runs: its <c>workdir</c>, else its service's, else the manifest's directory (JobProcess starts it there).</summary>
    private static string WorkingDirectory(JobSpec job, ServiceSpec? service, string manifestDirectory) =>
        Path.GetFullPath(job.Workdir ?? service?.Run?.Workdir ?? ".", manifestDirectory);
}
