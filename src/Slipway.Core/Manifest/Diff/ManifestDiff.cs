using System.Text.Json.Nodes;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Manifest.Snapshot;

namespace Slipway.Core.Manifest.Diff;

/// <summary>What differs between the running manifest and a new one: per service, and in the app-wide sections.</summary>
internal sealed record ManifestDiff(IReadOnlyList<ServiceChange> Services, IReadOnlyList<FieldChange> Sections)
{
    public bool IsEmpty => Services.Count == 0 && Sections.Count == 0;

    public static ManifestDiff Compare(AppManifest running, AppManifest next)
    {
        var services = new List<ServiceChange>();
        foreach (var name in running.Services.Keys.Union(next.Services.Keys).Order(StringComparer.Ordinal))
        {
            var before = running.Services.GetValueOrDefault(name);
            var after = next.Services.GetValueOrDefault(name);
            var fields = new List<FieldChange>();
            JsonTreeDiff.Compare(before is null ? null : SpecSnapshot.Tree(before), after is null ? null : SpecSnapshot.Tree(after), "", fields);
            if (before is null || after is null || fields.Count > 0)
            {
                var kind = before is null ? ServiceChangeKind.Added : after is null ? ServiceChangeKind.Removed : ServiceChangeKind.Changed;
                services.Add(new ServiceChange(name, kind, kind == ServiceChangeKind.Changed ? fields : []));
            }
        }

        var sections = new List<FieldChange>();
        JsonTreeDiff.Compare(AppWide(running), AppWide(next), "", sections);
        return new ManifestDiff(services, sections);
    }

    private static JsonObject AppWide(AppManifest manifest) => new()
    {
        ["app"] = manifest.App,
        ["proxy"] = SpecSnapshot.Tree(manifest.Proxy),
        ["alerts"] = SpecSnapshot.Tree(manifest.Alerts),
        ["backups"] = SpecSnapshot.Tree(manifest.Backups),
        ["jobs"] = SpecSnapshot.Tree(manifest.Jobs),
        ["logs"] = SpecSnapshot.Tree(manifest.Logs),
    };
}
