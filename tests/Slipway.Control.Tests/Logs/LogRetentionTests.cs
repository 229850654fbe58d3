using Slipway.Control.Logs;
using Slipway.Testing;

namespace Slipway.Control.Tests.Logs;

public sealed class LogRetentionTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    private string Root => LogPaths.Root(_dir.Path);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Apply_OlderThanMaxAge_DeletesRotatedAndStoppedInstancesOnly()
    {
        var rotated = File("api", "api-7-0.log.1", 100, ageDays: 10);
        var current = File("api", "api-7-0.log", 100, ageDays: 10);
        var stopped = File("api", "api-6-0.log", 100, ageDays: 10);
        var stoppedRaw = File("api", "api-6-0.stdout.raw", 100, ageDays: 10);
        var recent = File("web", "web-1-0.log", 100, ageDays: 0);

        var deleted = LogRetention.Apply(Root, Now, TimeSpan.FromDays(7), long.MaxValue, new HashSet<string> { "api-7-0" });

        Assert.Equal(3, deleted);
        Assert.False(System.IO.File.Exists(rotated));
        Assert.False(System.IO.File.Exists(stopped));
        Assert.False(System.IO.File.Exists(stoppedRaw));
        Assert.True(System.IO.File.Exists(current), "the file a running instance writes is kept");
        Assert.True(System.IO.File.Exists(recent));
    }

    [Fact]
    public void Apply_OverTotalSize_DeletesOldestFirstUntilItFits()
    {
        var oldest = File("api", "api-1-0.log", 1000, ageDays: 3);
        var middle = File("web", "web-1-0.log.2", 1000, ageDays: 2);
        var newest = File("web", "web-1-0.log.1", 1000, ageDays: 1);

        LogRetention.Apply(Root, Now, TimeSpan.FromDays(30), 2000, new HashSet<string>());

        Assert.False(System.IO.File.Exists(oldest));
        Assert.True(System.IO.File.Exists(middle));
        Assert.True(System.IO.File.Exists(newest));
    }

    private string File(string service, string name, int bytes, int ageDays)
    {
        var path = Path.Combine(LogPaths.ServiceDirectory(_dir.Path, service), name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, new byte[bytes]);
        System.IO.File.SetLastWriteTimeUtc(path, Now.UtcDateTime.AddDays(-ageDays));
        return path;
    }
}
