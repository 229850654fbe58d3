using Slipway.Core.Cgroups;

namespace Slipway.Core.Tests.Cgroups;

/// <summary>Which hierarchies are mounted and where a process sits, from the kernel's own texts.</summary>
public sealed class CgroupMountsTests
{
    // A v1 machine with cpu and cpuacct mounted apart, plus an empty v2 beside them (hybrid), as the CI machines run.
    private const string HybridMountinfo = """
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """;

    private const string HybridMembership = """
        9:name=systemd:/
        4:memory:/process_api/6d5b
        2:cpuacct:/
        1:cpu:/
        0::/
        """;

    [Fact]
    public void Parse_HybridMachine_CgroupMountsWithTheirControllers()
    {
        var mounts = CgroupMounts.Parse(HybridMountinfo);

        Assert.Equal(["/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpuacct", "/sys/fs/cgroup/memory", "/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified"], mounts.Select(m => m.MountPoint));
        Assert.Equal(["cpu"], mounts[0].Controllers);
        Assert.Empty(mounts[3].Controllers); // name=systemd is a name, not a controller
        Assert.True(mounts[4].IsV2);
    }

    [Fact]
    public void Parse_CoMountedControllersAndOptionalFields_ReadPastTheSeparator()
    {
        var mounts = CgroupMounts.Parse("25 18 0:22 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 master:2 - cgroup cgroup rw,cpu,cpuacct\n");

        Assert.Equal(["cpu", "cpuacct"], Assert.Single(mounts).Controllers);
    }

    [Fact]
    public void Parse_EscapedSpaceInMountPoint_Unescaped()
    {
        var mounts = CgroupMounts.Parse(@"29 23 0:26 / /mnt/my\040cgroups rw - cgroup2 cgroup2 rw" + "\n");

        Assert.Equal("/mnt/my cgroups", Assert.Single(mounts).MountPoint);
    }

    [Fact]
    public void ParseMembership_CoMountedList_EachControllerMapped()
    {
        var membership = CgroupMounts.ParseMembership("3:cpu,cpuacct:/a/b\n4:memory:/a/c\n0::/x\n");

        Assert.Equal("/a/b", membership["cpu"]);
        Assert.Equal("/a/b", membership["cpuacct"]);
        Assert.Equal("/a/c", membership["memory"]);
        Assert.Equal("/x", membership[""]);
    }

    [Fact]
    public void V1Directory_ProcessDeeperThanRoot_MountPointPlusItsPath()
    {
        var mounts = CgroupMounts.Parse(HybridMountinfo);
        var membership = CgroupMounts.ParseMembership(HybridMembership);

        Assert.Equal("/sys/fs/cgroup/memory/process_api/6d5b", CgroupMounts.V1Directory(mounts, membership, "memory"));
        Assert.Equal("/sys/fs/cgroup/cpu", CgroupMounts.V1Directory(mounts, membership, "cpu"));
        Assert.Null(CgroupMounts.V1Directory(mounts, membership, "pids"));
    }

    [Theory]
    [InlineData("/", "/a/b", "/sys/fs/cgroup/a/b")]
    [InlineData("/kubepods/pod1", "/kubepods/pod1", "/sys/fs/cgroup")]
    [InlineData("/kubepods/pod1", "/kubepods/pod1/app", "/sys/fs/cgroup/app")]
    [InlineData("/kubepods/pod1", "/kubepods/pod12", null)]
    [InlineData("/kubepods/pod1", "/other", null)]
    public void DirectoryOf_MountShowingPartOfTheTree_OnlyPathsInsideIt(string root, string path, string? expected)
    {
        var mount = new CgroupMount("/sys/fs/cgroup", root, [], IsV2: true);

        Assert.Equal(expected, mount.DirectoryOf(path));
    }

    [Fact]
    public void Detect_NothingMounted_UnavailableWithTheReason()
    {
        var setup = CgroupDetection.Detect("slipway-t-0", "22 1 0:21 / /proc rw - proc proc rw\n", "0::/\n", 1);

        Assert.Null(setup.Driver);
        Assert.Contains("no cgroup filesystem", Assert.Single(setup.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void GroupName_TwoStateDirectories_DifferButEachIsStable()
    {
        var a = CgroupDetection.GroupName("shop", "/srv/a/.slipway");

        Assert.Equal(a, CgroupDetection.GroupName("shop", "/srv/a/.slipway"));
        Assert.NotEqual(a, CgroupDetection.GroupName("shop", "/srv/b/.slipway"));
        Assert.Matches("^slipway-shop-[0-9a-f]{8}$", a);
    }
}
