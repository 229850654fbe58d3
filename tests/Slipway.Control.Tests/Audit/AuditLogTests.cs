using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Slipway.Control.Audit;
using Slipway.Testing;

namespace Slipway.Control.Tests.Audit;

/// <summary>The keyed chain catches an edited, removed or reordered entry and names the first bad one; an older unkeyed log is moved aside, not trusted.</summary>
public sealed class AuditLogTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = TestClock.Create();
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    private string File => _dir.Combine(AuditLog.FileName);

    private AuditLog Open() => new(_dir.Path, _time, _key);

    private AuditLog WriteFive()
    {
        var log = Open();
        for (var i = 1; i <= 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            log.Append(new AuditRecord($"ci-{i}", "POST", "/api/v1/services/{name}/scale", new Dictionary<string, string> { ["name"] = "api", ["replicas"] = $"{i}" }, "127.0.0.1", 200, AuditPhase.Result));
        }

        return log;
    }

    [Fact]
    public void Append_DiskFullsMidLine_CutsThePartialLineSoTheChainStaysWhole()
    {
        using var disk = SmallDisk.Mount(_dir.Combine("disk"), "1m");
        var log = new AuditLog(disk.Path, _time, _key);
        var record = new AuditRecord("ci", "POST", "/api/v1/services/{name}/scale", new Dictionary<string, string> { ["name"] = "api", ["padding"] = new string('x', 300) }, "127.0.0.1", 200, AuditPhase.Result);
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
        Assert.Equal(appended + 2, result.Entries); // the log's start, then each append that was written
    }

    [Fact]
    public void Verify_Untouched_IsValidAndNamesTheHead()
    {
        var log = WriteFive();

        var result = log.Verify();

        Assert.True(result.Valid, result.Problem);
        Assert.Equal(6, result.Entries); // the log's start, then five calls
        Assert.Equal(AuditPhase.Start, log.List()[0].Phase);
        Assert.Equal(log.Head, (result.HeadSeq, result.Head));
        Assert.Equal(log.List()[^1].Hash, result.Head);
    }

    [Fact]
    public void Verify_EntryEdited_NamesIt()
    {
        WriteFive();
        var lines = System.IO.File.ReadAllLines(File);
        var index = Array.FindIndex(lines, l => l.Contains("\"replicas\":\"3\"", StringComparison.Ordinal));
        lines[index] = lines[index].Replace("\"replicas\":\"3\"", "\"replicas\":\"30\"", StringComparison.Ordinal);
        System.IO.File.WriteAllLines(File, lines);
        var result = Open().Verify();
        Assert.False(result.Valid);
        Assert.Equal(index + 1, result.FirstBadSeq);
        Assert.Contains("changed", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_EntryRemoved_NamesTheOneAfterTheGap()
    {
        WriteFive();
        var lines = System.IO.File.ReadAllLines(File).ToList();
        lines.RemoveAt(2);
        System.IO.File.WriteAllLines(File, lines);
        var result = Open().Verify();
        Assert.False(result.Valid);
        Assert.Equal(4, result.FirstBadSeq);
        Assert.Equal(3, result.FirstBadLine);
    }

    [Fact]
    public void Verify_EntriesReordered_NamesTheFirstOutOfPlace()
    {
        WriteFive();
        var lines = System.IO.File.ReadAllLines(File);
        (lines[4], lines[5]) = (lines[5], lines[4]);
        System.IO.File.WriteAllLines(File, lines);
        var result = Open().Verify();
        Assert.False(result.Valid);
        Assert.Equal(6, result.FirstBadSeq);
        Assert.Equal(5, result.FirstBadLine);
    }

    [Fact]
    public void Verify_EntryRemovedAndTheRestRechainedWithAnotherKey_Broken()
    {
        // Who can write the file knows the algorithm, not the key.
        WriteFive();
        var entries = Open().List().Where(e => e.Seq != 3).ToList();
        Rewrite(entries, e => AuditChain.Mac(e, RandomNumberGenerator.GetBytes(32)));

        var result = Open().Verify();

        Assert.False(result.Valid);
        Assert.Equal(1, result.FirstBadSeq);
        Assert.Contains("without the key", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_LogRechainedUnkeyedAsIfOld_MovedAsideNotTrusted_AndAKeptHeadShowsIt()
    {
        // The downgrade: every entry stripped of its phase and chained with plain SHA-256, as before keying.
        var (_, kept) = WriteFive().Head;
        Rewrite(Open().List().Select(e => e with { Phase = null }).Where(e => e.Seq != 3).ToList(), AuditChain.LegacyHash);

        var log = Open();

        var start = Assert.Single(log.List());
        Assert.Equal(AuditPhase.Start, start.Phase);
        Assert.StartsWith("audit.log.unkeyed-", start.Arguments["unkeyed.file"], StringComparison.Ordinal);
        var result = log.Verify(kept);
        Assert.False(result.Valid);
        Assert.Contains(kept, result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_UnkeyedLogFromAnOlderSlipway_MovedAsideAndNamedByTheNewLogsFirstEntry()
    {
        var legacy = WriteLegacy(3);

        var log = Open();

        var start = Assert.Single(log.List());
        Assert.Equal(("3", legacy[^1].Hash, "intact"), (start.Arguments["unkeyed.entries"], start.Arguments["unkeyed.head"], start.Arguments["unkeyed.chain"]));
        Assert.Equal(3, System.IO.File.ReadAllLines(_dir.Combine(start.Arguments["unkeyed.file"])).Length);
        Assert.True(log.Verify().Valid);
    }

    [Fact]
    public void Open_UnkeyedLogEditedBeforeTheUpgrade_FirstEntrySaysItsChainWasBroken()
    {
        WriteLegacy(3);
        var lines = System.IO.File.ReadAllLines(File);
        lines[1] = lines[1].Replace("\"actor\":\"ci\"", "\"actor\":\"someone-else\"", StringComparison.Ordinal);
        System.IO.File.WriteAllLines(File, lines);

        var start = Assert.Single(Open().List());

        Assert.Equal("broken at entry 2", start.Arguments["unkeyed.chain"]);
    }

    [Fact]
    public void Verify_UnkeyedEntryAppendedAfterKeyedOnes_BrokenAndNotMovedAside()
    {
        WriteFive();
        var last = Open().List()[^1];
        var forged = new AuditEntry(last.Seq + 1, last.Time, "intruder", "POST", "/api/v1/tokens", new Dictionary<string, string>(), "-", 201, last.Hash, "");
        forged = forged with { Hash = AuditChain.LegacyHash(forged) };
        System.IO.File.AppendAllText(File, JsonSerializer.Serialize(forged, Json) + "\n");

        var result = Open().Verify();

        Assert.False(result.Valid);
        Assert.Equal(forged.Seq, result.FirstBadSeq);
        Assert.Equal(7, Open().List().Count);
    }

    [Fact]
    public void Verify_WithAHeadKeptEarlier_EntriesCutOffTheEndAreFound()
    {
        var log = WriteFive();
        var (_, kept) = log.Head;
        Assert.True(log.Verify(kept).Valid);

        var lines = System.IO.File.ReadAllLines(File);
        System.IO.File.WriteAllLines(File, lines[..^2]);
        var result = Open().Verify(kept);

        Assert.False(result.Valid);
        Assert.Contains(kept, result.Problem, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Entries as an older Slipway wrote them: no phase, plain SHA-256.</summary>
    private List<AuditEntry> WriteLegacy(int count)
    {
        var entries = new List<AuditEntry>();
        var previous = AuditChain.Genesis;
        for (var i = 1; i <= count; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            var entry = new AuditEntry(i, _time.GetUtcNow(), "ci", "POST", "/api/v1/services/{name}/restart", new Dictionary<string, string> { ["name"] = "api" }, "127.0.0.1", 200, previous, "");
            entry = entry with { Hash = AuditChain.LegacyHash(entry) };
            previous = entry.Hash;
            entries.Add(entry);
        }

        System.IO.File.WriteAllLines(File, entries.Select(e => JsonSerializer.Serialize(e, Json)));
        return entries;
    }

    private void Rewrite(List<AuditEntry> entries, Func<AuditEntry, string> hash)
    {
        var previous = AuditChain.Genesis;
        var lines = new List<string>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i] with { Seq = i + 1, Previous = previous };
            entry = entry with { Hash = hash(entry) };
            previous = entry.Hash;
            lines.Add(JsonSerializer.Serialize(entry, Json));
        }

        System.IO.File.WriteAllLines(File, lines);
    }
}
