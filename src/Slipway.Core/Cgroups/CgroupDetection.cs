using System.Security.Cryptography;
using System.Text;

namespace Slipway.Core.Cgroups;

/// <summary>Finds which cgroup hierarchy this machine runs and makes the daemon's directory in it.</summary>
internal static class CgroupDetection
{
    /// <summary>
    /// The name of a daemon's cgroup directory: the app and a hash of its state directory, so two daemons on one
    /// machine (or two test runs) never share one, and a restarted daemon finds the cgroups of instances it adopts.
    /// </summary>
    public static string GroupName(string app, string stateDirectory) =>
        $"slipway-{app}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(stateDirectory))))[..8]}";

    /// <summary>Reads this process's mounts and cgroups and sets up <paramref name="group"/>.</summary>
    public static CgroupSetup Detect(string group)
    {
        string mountinfo;
        string membership;
        try
        {
            mountinfo = File.ReadAllText("/proc/self/mountinfo");
            membership = File.ReadAllText("/proc/self/cgroup");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CgroupSetup.Unavailable($"cannot read /proc/self/mountinfo or /proc/self/cgroup: {e.Message}");
        }

        return Detect(group, mountinfo, membership, Environment.ProcessId);
    }

    /// <summary>
    /// v1 where the cpu or memory controller is mounted as a v1 hierarchy (hybrid machines mount an empty v2
    /// beside them), else v2 where cgroup2 is mounted.
    /// </summary>
    public static CgroupSetup Detect(string group, string mountinfo, string membershipText, int selfPid)
    {
        var mounts = CgroupMounts.Parse(mountinfo);
        var membership = CgroupMounts.ParseMembership(membershipText);
        var problems = new List<string>();
        if (mounts.Any(m => !m.IsV2 && (m.Controllers.Contains("cpu") || m.Controllers.Contains("memory"))))
        {
            var v1 = CgroupV1.TryCreate(mounts, membership, group, problems);
            return new CgroupSetup(v1, problems);
        }

        if (mounts.FirstOrDefault(m => m.IsV2) is { } unified && membership.TryGetValue("", out var path))
        {
            if (unified.DirectoryOf(path) is not { } own)
            {
                return CgroupSetup.Unavailable($"this process's cgroup {path} is outside the cgroup2 mount at {unified.MountPoint}");
            }

            var v2 = CgroupV2.TryCreate(own, group, selfPid, problems);
            return new CgroupSetup(v2, problems);
        }

        return CgroupSetup.Unavailable("no cgroup filesystem with the cpu or memory controller is mounted");
    }
}
