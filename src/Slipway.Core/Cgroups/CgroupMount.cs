namespace Slipway.Core.Cgroups;

/// <summary>A mounted cgroup hierarchy (a line of <c>/proc/self/mountinfo</c>).</summary>
/// <param name="MountPoint">Where it is mounted (<c>/sys/fs/cgroup/memory</c>).</param>
/// <param name="Root">The cgroup the mount shows at its top (<c>/</c>, or deeper inside a container).</param>
/// <param name="Controllers">v1: the controllers the hierarchy carries (<c>cpu</c>, <c>cpuacct</c>); v2: empty (they are per cgroup).</param>
internal sealed record CgroupMount(string MountPoint, string Root, IReadOnlyList<string> Controllers, bool IsV2)
{
    /// <summary>The directory of the cgroup <paramref name="path"/> (as /proc/PID/cgroup names it), or null when this mount does not show it.</summary>
    public string? DirectoryOf(string path)
    {
        if (Root == "/")
        {
            return path == "/" ? MountPoint : MountPoint.TrimEnd('/') + path;
        }

        if (path == Root)
        {
            return MountPoint;
        }

        return path.StartsWith(Root + "/", StringComparison.Ordinal) ? MountPoint.TrimEnd('/') + path[Root.Length..] : null;
    }
}
