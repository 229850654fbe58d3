using System.Text;

namespace Slipway.Core.Cgroups;

/// <summary>Reads which cgroup hierarchies are mounted (<c>/proc/self/mountinfo</c>) and where a process sits in each (<c>/proc/PID/cgroup</c>).</summary>
internal static class CgroupMounts
{
    /// <summary>The cgroup (v1) and cgroup2 mounts in a mountinfo text, in order.</summary>
    public static IReadOnlyList<CgroupMount> Parse(string mountinfo)
    {
        var mounts = new List<CgroupMount>();
        foreach (var line in mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // id parent major:minor root mount-point options [optional fields...] - type source super-options
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (fields.Length < 6 || separator < 6 || separator + 3 > fields.Length)
            {
                continue;
            }

            var type = fields[separator + 1];
            if (type == "cgroup2")
            {
                mounts.Add(new CgroupMount(Unescape(fields[4]), Unescape(fields[3]), [], IsV2: true));
            }
            else if (type == "cgroup")
            {
                var options = separator + 3 < fields.Length ? fields[separator + 3].Split(',') : [];
                mounts.Add(new CgroupMount(Unescape(fields[4]), Unescape(fields[3]), [.. options.Where(IsController)], IsV2: false));
            }
        }

        return mounts;
    }

    /// <summary>
    /// A process's cgroup in each hierarchy from its <c>/proc/PID/cgroup</c> text: v1 controller (each of a
    /// co-mounted list, <c>cpu</c> and <c>cpuacct</c> alike) → path; the v2 hierarchy under the key "".
    /// </summary>
    public static Dictionary<string, string> ParseMembership(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            if (parts[0] == "0" && parts[1].Length == 0)
            {
                result[""] = parts[2];
                continue;
            }

            foreach (var controller in parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                result[controller] = parts[2];
            }
        }

        return result;
    }

    /// <summary>The directory of the cgroup a process is in, for the v1 hierarchy carrying <paramref name="controller"/>; null when none is mounted or reachable.</summary>
    public static string? V1Directory(IReadOnlyList<CgroupMount> mounts, IReadOnlyDictionary<string, string> membership, string controller) =>
        membership.TryGetValue(controller, out var path)
            ? mounts.Where(m => !m.IsV2 && m.Controllers.Contains(controller)).Select(m => m.DirectoryOf(path)).FirstOrDefault(d => d is not null)
            : null;

    // Kernel controller names, as opposed to mount flags (rw, nsdelegate, name=systemd, release_agent=...).
    private static bool IsController(string option) => option is "cpu" or "cpuacct" or "cpuset" or "memory" or "devices" or "freezer"
        or "net_cls" or "net_prio" or "blkio" or "io" or "perf_event" or "hugetlb" or "pids" or "rdma" or "misc";

    /// <summary>mountinfo writes space, tab, newline and backslash in paths as <c>\040</c>, <c>\011</c>, <c>\012</c>, <c>\134</c>.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var builder = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                builder.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                builder.Append(field[i]);
            }
        }

        return builder.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
