using System.Globalization;
using System.Text.Json;
using Slipway.Control.Secrets;
using Slipway.Control.State;

namespace Slipway.Control.Audit;

/// <summary>
/// The append-only audit log, <c>&lt;state-dir&gt;/audit.log</c>: one JSON entry per line, hash-chained
/// (<see cref="AuditChain"/>). Appends are serialised and flushed to disk before the call returns.
/// </summary>
/// <remarks>
/// The chain proves the entries present are the ones written, in order, with none taken out between them.
/// It cannot prove that the newest entries were not cut off the end: that needs the head hash kept elsewhere.
/// </remarks>
internal sealed class AuditLog
{
    public const string FileName = "audit.log";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private long _lastSeq;
    private string _lastHash = AuditChain.Genesis;

    private readonly StateDisk? _disk;

    /// <param name="disk">Told when an append fails for lack of space (it then says so once for every writer).</param>
    public AuditLog(string stateDirectory, TimeProvider time, StateDisk? disk = null)
    {
        _path = System.IO.Path.Combine(stateDirectory, FileName);
        _time = time;
        _disk = disk;
        if (ReadAll().LastOrDefault() is { } last)
        {
            _lastSeq = last.Entry?.Seq ?? 0;
            _lastHash = last.Entry?.Hash ?? AuditChain.Genesis;
        }
    }

    public AuditEntry Append(AuditRecord record)
    {
        lock (_lock)
        {
            var unsealed = new AuditEntry(_lastSeq + 1, _time.GetUtcNow(), record.Actor, record.Method, record.Route,
                new SortedDictionary<string, string>(record.Arguments.ToDictionary(), StringComparer.Ordinal), record.Remote, record.Status, _lastHash, "");
            var entry = unsealed with { Hash = AuditChain.Hash(unsealed) };
            var line = JsonSerializer.Serialize(entry, Json) + "\n";
            var options = PrivateFile.Options(FileMode.Append);
            options.BufferSize = 0; // written at once, so a failed write is known here and undone below
            using (var stream = new FileStream(_path, options))
            {
                var end = stream.Length;
                try
                {
                    stream.Write(System.Text.Encoding.UTF8.GetBytes(line));
                    stream.Flush(flushToDisk: true);
                }
                catch (IOException e)
                {
                    // A full disk can take part of a line: cut it off, or every later entry would follow a broken one.
                    TryTruncate(stream, end);
                    if (StateDisk.IsNoSpace(e))
                    {
                        _disk?.Failed(e);
                    }

                    throw;
                }
            }

            _lastSeq = entry.Seq;
            _lastHash = entry.Hash;
            return entry;
        }
    }

    private static void TryTruncate(FileStream stream, long length)
    {
        try
        {
            stream.SetLength(length);
        }
        catch (IOException)
        {
            // Verify names the torn line if it stays.
        }
    }

    /// <summary>Entries at or after <paramref name="since"/>, oldest first; unreadable lines are skipped (verify names them).</summary>
    public IReadOnlyList<AuditEntry> List(DateTimeOffset? since = null) =>
        [.. ReadAll().Select(l => l.Entry).OfType<AuditEntry>().Where(e => since is null || e.Time >= since)];

    /// <summary>Walks the chain from the start; the first entry that does not hold is named by its sequence number and line.</summary>
    public AuditVerification Verify()
    {
        var previous = AuditChain.Genesis;
        long expectedSeq = 1;
        long count = 0;
        foreach (var (lineNumber, entry) in ReadAll())
        {
            if (entry is null)
            {
                return new AuditVerification(false, count, null, lineNumber, $"line {lineNumber} is not an audit entry");
            }

            string? problem = null;
            if (entry.Seq != expectedSeq)
            {
                problem = $"entry {entry.Seq} is where entry {expectedSeq} should be (removed or reordered)";
            }
            else if (entry.Previous != previous)
            {
                problem = $"entry {entry.Seq} does not follow the entry before it (removed or reordered)";
            }
            else if (AuditChain.Hash(entry) != entry.Hash)
            {
                problem = $"entry {entry.Seq} was changed after it was written (its hash does not match its content)";
            }

            if (problem is not null)
            {
                return new AuditVerification(false, count, entry.Seq, lineNumber, problem);
            }

            previous = entry.Hash;
            expectedSeq++;
            count++;
        }

        return new AuditVerification(true, count, null, null, null);
    }

    private List<(int Line, AuditEntry? Entry)> ReadAll()
    {
        var result = new List<(int, AuditEntry?)>();
        if (!File.Exists(_path))
        {
            return result;
        }

        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            AuditEntry? entry;
            try
            {
                entry = JsonSerializer.Deserialize<AuditEntry>(line, Json);
            }
            catch (JsonException)
            {
                entry = null;
            }

            result.Add((number, entry));
        }

        return result;
    }

    internal static string Describe(AuditEntry e) =>
        string.Create(CultureInfo.InvariantCulture, $"{e.Seq} {AuditChain.FormatTime(e.Time)} {e.Actor} {e.Method} {e.Route} {e.Status}");
}
