using Slipway.Core.Manifest.Model;
using Slipway.Core.Routing;

namespace Slipway.Control.Supervision;

/// <summary>
/// One revision of a static site as the supervisor holds it: the directory the edge serves it from, whether that
/// directory is ready (it exists and holds the index), and how many instances a rollout asked for — a count that costs
/// nothing, since every one of them is the same directory, and lets each strategy run unchanged.
/// </summary>
internal sealed record StaticRevision(string Service, string Revision, string Version, int Desired, StaticSiteModel Site, string? Problem)
{
    /// <summary>The edge may serve it: the root exists and holds the index.</summary>
    public bool Ready => Problem is null;

    /// <summary>The revision's root resolved for its version, and checked the way readiness is (what <c>validate</c> checks for the manifest's version).</summary>
    public static StaticRevision Resolve(string service, string revision, string version, int desired, StaticSpec spec, string manifestDirectory)
    {
        var root = spec.RootFor(manifestDirectory, version);
        return new StaticRevision(service, revision, version, desired, new StaticSiteModel(root, spec.Spa, spec.Index), ProblemOf(spec, root));
    }

    /// <summary>Why <paramref name="root"/> cannot be served, or null when it can.</summary>
    public static string? ProblemOf(StaticSpec spec, string root) =>
        !Directory.Exists(root) ? $"static.root names a directory that does not exist: {root}"
        : !File.Exists(Path.Combine(root, spec.Index)) ? $"static.root holds no {spec.Index}: {root}"
        : null;
}
