using System.CommandLine;
using Slipway.Core.Manifest;
using Slipway.Kubernetes;

namespace Slipway.Cli;

/// <summary>
/// <c>slipway render kubernetes [--file F] [--out DIR | -]</c>: the manifest as Kubernetes, Argo Rollouts, Gateway API
/// and Prometheus Operator objects, one file per kind in DIR (the hook Jobs under DIR/hooks), or one stream on stdout.
/// What the cluster cannot do as one machine does is one line each on stderr, with the key's place in the manifest.
/// </summary>
internal static class RenderKubernetesCommand
{
    public static Command Create(CliOutput output, Option<string> file)
    {
        var to = new Option<string>("--out", "-o")
        {
            Description = "A directory to write one file per kind into, or - for one stream on stdout (the default).",
            DefaultValueFactory = _ => "-",
        };
        var command = new Command("kubernetes", "The app as Kubernetes objects: Deployments or Argo Rollouts, Services, HTTPRoutes or Ingresses, autoscalers, network policies, ServiceMonitors, a PrometheusRule, backup CronJobs.") { file, to };
        command.SetAction(parsed =>
        {
            var path = parsed.GetValue(file)!;
            if (CliManifest.Load(output, path, ManifestTarget.Kubernetes) is not { } result)
            {
                return ExitCodes.Usage;
            }

            var render = KubernetesRenderer.Render(result.Manifest!, result.Map);
            string Format(RenderNote note) => new ManifestError(result.Map!.Find(note.Path), note.Path, note.Message).Format(path);
            if (!render.Succeeded)
            {
                foreach (var error in render.Errors)
                {
                    output.Error.WriteLine(Format(error));
                }

                return ExitCodes.Usage;
            }

            foreach (var note in render.Notes.OrderBy(n => result.Map!.Find(n.Path).Line).ThenBy(n => result.Map!.Find(n.Path).Column))
            {
                output.Error.WriteLine(Format(note));
            }

            var target = parsed.GetValue(to)!;
            if (target == "-")
            {
                output.Out.Write(render.ToStream());
                if (render.Files.Any(KubernetesRender.IsHook))
                {
                    output.Error.WriteLine($"slipway: the hook Jobs ({string.Join(", ", render.Files.Where(KubernetesRender.IsHook).Select(f => f.Path))}) are written only with --out DIR");
                }

                return ExitCodes.Success;
            }

            try
            {
                Write(target, render);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                output.Error.WriteLine($"slipway: cannot write {target}: {e.Message}");
                return ExitCodes.Failed;
            }

            output.Out.WriteLine($"wrote {render.Objects.Count()} objects in {render.Files.Count} files to {target}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Replaces what an earlier render wrote there (its numbered files and hooks), so a removed object's file does not
    /// linger. Every file is written beside its place first (<c>.tmp</c>) and only then renamed over the old one, and
    /// the old render's other files are deleted last: a write that fails (a full disk) leaves the earlier render whole
    /// instead of half deleted and half replaced.
    /// </summary>
    private static void Write(string directory, KubernetesRender render)
    {
        Directory.CreateDirectory(Path.Combine(directory, KubernetesRender.HooksFolder));
        var stale = Directory.EnumerateFiles(directory, "??-*.yaml").Where(f => char.IsAsciiDigit(Path.GetFileName(f)[0]) && char.IsAsciiDigit(Path.GetFileName(f)[1]))
            .Concat(Directory.EnumerateFiles(Path.Combine(directory, KubernetesRender.HooksFolder), "*.yaml"))
            .ToHashSet(StringComparer.Ordinal);
        var written = new List<string>();
        try
        {
            foreach (var renderedFile in render.Files)
            {
                var path = Path.Combine(directory, renderedFile.Path);
                written.Add(path);
                File.WriteAllText(path + ".tmp", renderedFile.ToYaml());
            }
        }
        catch
        {
            foreach (var path in written)
            {
                File.Delete(path + ".tmp");
            }

            throw;
        }

        foreach (var path in written)
        {
            File.Move(path + ".tmp", path, overwrite: true);
            stale.Remove(Path.GetFullPath(path));
            stale.Remove(path);
        }

        foreach (var file in stale)
        {
            File.Delete(file);
        }
    }
}
