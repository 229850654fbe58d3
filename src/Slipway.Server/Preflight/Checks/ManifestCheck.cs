using Slipway.Core.Manifest;

namespace Slipway.Server.Preflight.Checks;

/// <summary>The manifest file validates as it is on disk now: what <c>apply</c> would take, and what a restart would run.</summary>
internal sealed class ManifestCheck : IPreflightCheck
{
    public string Name => "manifest";

    public bool ConcernsDeploy => false;

    public Task<IReadOnlyList<PreflightFinding>> RunAsync(PreflightContext context, CancellationToken cancel)
    {
        if (context.ManifestPath is not { } path)
        {
            return Done(PreflightFinding.Ok(Name, "manifest", "the running manifest validated when it was loaded"));
        }

        var loaded = ManifestLoader.LoadFile(path);
        if (loaded.IsValid)
        {
            var manifest = loaded.Manifest!;
            return Done(PreflightFinding.Ok(Name, path, $"validates: app {manifest.App}, {PreflightText.Count(manifest.Services.Count, "service")}, {PreflightText.Count(manifest.Backups.Count, "backup")}, {PreflightText.Count(manifest.Alerts.Rules.Count, "alert rule")}"));
        }

        var errors = loaded.FormattedErrors.ToList();
        var shown = string.Join("; ", errors.Take(3)) + (errors.Count > 3 ? $"; and {errors.Count - 3} more" : "");
        return Done(new PreflightFinding(Name, path, PreflightStatus.Fail, $"{errors.Count} error{(errors.Count == 1 ? "" : "s")}: {shown}", $"slipway validate {path}, and fix each line it names"));
    }

    private static Task<IReadOnlyList<PreflightFinding>> Done(PreflightFinding finding) => Task.FromResult<IReadOnlyList<PreflightFinding>>([finding]);
}
