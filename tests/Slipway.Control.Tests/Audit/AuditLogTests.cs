using Microsoft.Extensions.Time.Testing;
using Slipway.Control.Audit;
using Slipway.Testing;

namespace Slipway.Control.Tests.Audit;

/// <summary>The chain catches an edited, removed or reordered entry and names the first bad one.</summary>
public sealed class AuditLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = TestClock.Create();

    private string File => _dir.Combine(AuditLog.FileName);

    private AuditLog WriteFive()
    {
        var log = new AuditLog(_dir.Path, _time);
        for (var i = 1; i <= 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            log.Append(new AuditRecord($"ci-{i}", "POST", "/api/v1/services/{name}/scale", new Dictionary<string, string> { ["name"] = "api", ["replicas"] = $"{i}" }, "127.0.0.1", 200));
        }

        return log;
    }

    [Fact]
    public void Append_DiskFullsMidLine_CutsThePartialLineSoTheChainStaysWhole()
    {
        using var disk = SmallDisk.Mount(_dir.Combine("disk"), "1m");
        var log = new AuditLog(disk.Path, _time);
        var record = new AuditRecord("ci", "POST", "/api/v1/services/{name}/scale", new Dictionary<string, string> { ["name"] = "api", ["padding"] = new string('x', 300) }, "127.0.0.1", 200);
        log.Append(record);
        disk.Fill();

        // What is left in the file's last page takes whole lines, then part of one, then the disk refuses.
        var appended = 1;
        var failure = Record.Exception(() =>
        {
            for (; appended < 100; appended++)
            {
                log.Append(record);
            }
        });
        Assert.IsAssignableFrom<IOException>(failure);
        Assert.True(log.Verify().Valid, log.Verify().Problem);

        disk.Free();
        log.Append(record);
        var result = log.Verify();
        Assert.True(result.Valid, result.Problem);
        Assert.Equal(appended + 1, result.Entries);
    }

    [Fact]
    public void Verify_Untouched_IsValid()
    {
        var result = WriteFive().Verify();
        Assert.True(result.Valid, result.Problem);
        Assert.Equal(5, result.Entries);
    }

    [Fact]
    public void Verify_EntryEdited_NamesIt()
    {
        WriteFive();
        var lines = System.IO.File.ReadAllLines(File);
        lines[2] = lines[2].Replace("\"replicas\":\"3\"", "\"replicas\":\"30\"", StringComparison.Ordinal);
        System.IO.File.WriteAllLines(File, lines);
        var result = new AuditLog(_dir.Path, _time).Verify();
        Assert.False(result.Valid);
        Assert.Equal(3, result.FirstBadSeq);
        Assert.Contains("changed", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_EntryRemoved_NamesTheOneAfterTheGap()
    {
        WriteFive();
        var lines = System.IO.File.ReadAllLines(File).ToList();
        lines.RemoveAt(1);
        System.IO.File.WriteAllLines(File, lines);
        var result = new AuditLog(_dir.Path, _time).Verify();
        Assert.False(result.Valid);
        Assert.Equal(3, result.FirstBadSeq);
        Assert.Equal(2, result.FirstBadLine);
    }

    [Fact]
    public void Verify_EntriesReordered_NamesTheFirstOutOfPlace()
    {
        WriteFive();
        var lines = System.IO.File.ReadAllLines(File);
        (lines[3], lines[4]) = (lines[4], lines[3]);
        System.IO.File.WriteAllLines(File, lines);
        var result = new AuditLog(_dir.Path, _time).Verify();
        Assert.False(result.Valid);
        Assert.Equal(5, result.FirstBadSeq);
        Assert.Equal(4, result.FirstBadLine);
    }

    [Fact]
    public void Verify_EditedAndRehashedEntry_BreaksTheNextLink()
    {
        // An attacker who recomputes the edited entry's own hash still breaks the link to the entry after it.
        WriteFive();
        var entries = new AuditLog(_dir.Path, _time).List().ToList();
        var edited = entries[1] with { Actor = "someone-else" };
        edited = edited with { Hash = AuditChain.Hash(edited) };
        var lines = System.IO.File.ReadAllLines(File);
        lines[1] = System.Text.Json.JsonSerializer.Serialize(edited, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        System.IO.File.WriteAllLines(File, lines);
        var result = new AuditLog(_dir.Path, _time).Verify();
        Assert.False(result.Valid);
        Assert.Equal(3, result.FirstBadSeq);
    }

    public void Dispose() => _dir.Dispose();
}
