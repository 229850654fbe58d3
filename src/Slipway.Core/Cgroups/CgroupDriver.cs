namespace Slipway.Core.Cgroups;

/// <summary>
/// Where the daemon keeps its instances' cgroups, and how it makes them: <see cref="CgroupV1"/> or
/// <see cref="CgroupV2"/>, chosen by <see cref="CgroupDetection"/>. Every instance cgroup lives under one directory
/// per hierarchy named after the app and state directory, beneath the cgroup the daemon itself runs in.
/// </summary>
internal abstract class CgroupDriver
{
    /// <summary>"cgroup v1" or "cgroup v2".</summary>
    public abstract string Flavor { get; }

    /// <summary>Whether <c>resources.cpu</c> becomes a quota the kernel holds the instance to.</summary>
    public abstract bool LimitsCpu { get; }

    /// <summary>Whether <c>resources.memory</c> becomes a limit the kernel's OOM killer enforces.</summary>
    public abstract bool LimitsMemory { get; }

    /// <summary>The daemon's own directories, one per hierarchy, that hold the instances' cgroups.</summary>
    public abstract IReadOnlyList<string> Parents { get; }

    /// <summary>Creates the cgroup <paramref name="name"/> (replacing a stale empty one) and writes its limits.</summary>
    /// <exception cref="CgroupException">A directory or a limit was refused; what was created is removed again.</exception>
    public abstract InstanceCgroup Create(string name, CgroupLimits limits);

    /// <summary>The cgroup a process a previous daemon started runs in, when it is one of this daemon's; else null.</summary>
    public abstract InstanceCgroup? Find(int pid);

    /// <summary>Removes the daemon's directories once no instance cgroup is left in them.</summary>
    public void RemoveParents()
    {
        foreach (var parent in Parents)
        {
            CgroupFiles.TryRemoveDirectory(parent);
        }
    }

    /// <summary>A one-line account for <c>slipway up</c>: what is enforced, where.</summary>
    public string Describe() =>
        $"{Flavor} ({string.Join(", ", new[] { LimitsCpu ? "cpu" : null, LimitsMemory ? "memory" : null }.OfType<string>())}) under {Parents[0]}"
        + (Parents.Count > 1 ? $" and {Parents.Count - 1} more hierarch{(Parents.Count == 2 ? "y" : "ies")}" : "");

    /// <summary>
    /// The directories <paramref name="pid"/> runs in, by hierarchy, from <c>/proc/PID/cgroup</c> lines
    /// (<c>4:memory:/a/b</c>, <c>0::/a/b</c>): hierarchy key (the controller list, empty for v2) → path.
    /// </summary>
    protected static Dictionary<string, string> Membership(int pid)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(System.Globalization.CultureInfo.InvariantCulture)}/cgroup");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return result;
        }

        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3)
            {
                result[parts[1]] = parts[2];
            }
        }

        return result;
    }
}
