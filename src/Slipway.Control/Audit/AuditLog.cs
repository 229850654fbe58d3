using System.Globalization;
using System.Text.Json;
using Slipway.Control.State;
using Slipway.Core.Primitives;

namespace Slipway.Control.Audit;

/// <summary>
/// The append-only audit log, <c>&lt;state-dir&gt;/audit.log</c>: one JSON entry per line, chained with a keyed
/// hash (<see cref="AuditChain"/>). Appends are serialised and flushed to disk before the call returns.
/// </summary>
/// <remarks>
/// <para>
/// The key is derived from the master key and never written beside the log. Whoever can write the file but does
/// not hold the key cannot remove, change or reorder an entry and make the chain hold again. Nobody can cut
/// entries off the end, or replace the whole log, unnoticed against a head hash kept elsewhere (<see cref="Verify"/>
/// with <c>head</c>): not even the key's holder, who can rewrite the chain but not make it hold the entry kept.
/// </para>
/// <para>
/// Every log begins with a <see cref="AuditPhase.Start"/> entry written when the daemon opens it, so a log that
/// was deleted and begun again says when. A log an older Slipway wrote, unkeyed, is not taken into the chain
/// (anyone who could write it could have forged it): it is moved aside to <c>audit.log.unkeyed-TIME</c>, and the
/// new log's first entry names that file, its entries, its head and whether its plain chain held.
/// </para>
/// </remarks>
internal sealed class AuditLog
{
    public const string FileName = "audit.log";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly byte[] _key;
    private readonly Lock _lock = new();
    private long _lastSeq;
    private string _lastHash = AuditChain.Genesis;

    private readonly StateDisk? _disk;

    /// <param name="key">The chain's key (32 bytes), derived from the master key under <see cref="AuditChain.KeyPurpose"/>.</param>
    /// <param name="disk">Told when an append fails for lack of space (it then says so once for every writer).</param>
    public AuditLog(string stateDirectory, TimeProvider time, byte[] key, StateDisk? disk = null)
    {
        _path = System.IO.Path.Combine(stateDirectory, FileName);
        _time = time;
        _key = key;
        _disk = disk;
        var entries = ReadAll();
        if (entries.Count > 0 && entries.All(e => e.Entry is { Phase: null }))
        {
            Start(MoveAsideUnkeyed([.. entries.Select(e => e.Entry!)]));
        }
        else if (entries.Select(e => e.Entry).LastOrDefault(e => e is not null) is { } last)
        {
            _lastSeq = last.Seq;
            _lastHash = last.Hash;
        }
        else if (entries.Count == 0)
        {
            Start(new Dictionary<string, string>());
        }
    }

    /// <summary>The newest entry's hash, or the genesis hash of an empty log.</summary>
    public (long Seq, string Hash) Head
    {
        get
        {
            lock (_lock)
            {
                return (_lastSeq, _lastHash);
            }
        }
    }

    public AuditEntry Append(AuditRecord record)
    {
        lock (_lock)
        {
            var unsealed = new AuditEntry(_lastSeq + 1, _time.GetUtcNow(), record.Actor, record.Method, record.Route,
                new SortedDictionary<string, string>(record.Arguments.ToDictionary(), StringComparer.Ordinal), record.Remote, record.Status, _lastHash, "")
            {
                Phase = record.Phase,
            };
            var entry = unsealed with { Hash = AuditChain.Mac(unsealed, _key) };
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

    /// <summary>
    /// Walks the chain from the start; the first entry that does not hold is named by its sequence number and line.
    /// With <paramref name="head"/>, the hash of an entry kept elsewhere, the log must still hold that very entry.
    /// </summary>
    public AuditVerification Verify(string? head = null)
    {
        var previous = AuditChain.Genesis;
        long expectedSeq = 1;
        long count = 0;
        var headFound = head is null;
        foreach (var (lineNumber, entry) in ReadAll())
        {
            string? problem = null;
            if (entry is null)
            {
                problem = $"line {lineNumber} is not an audit entry";
            }
            else if (entry.Seq != expectedSeq)
            {
                problem = $"entry {entry.Seq} is where entry {expectedSeq} should be (removed or reordered)";
            }
            else if (entry.Previous != previous)
            {
                problem = $"entry {entry.Seq} does not follow the entry before it (removed or reordered)";
            }
            else if (entry.Phase is null || AuditChain.Mac(entry, _key) != entry.Hash)
            {
                problem = $"entry {entry.Seq} was changed after it was written, or written without the key (its keyed hash does not match)";
            }

            if (problem is not null)
            {
                return new AuditVerification(false, count, entry?.Seq, lineNumber, problem, expectedSeq - 1, previous);
            }

            headFound |= entry!.Hash == head;
            previous = entry.Hash;
            expectedSeq++;
            count++;
        }

        return headFound
            ? new AuditVerification(true, count, null, null, null, count, previous)
            : new AuditVerification(false, count, null, null, $"no entry has the hash {head}: the log no longer holds the entry it named (cut off, changed or replaced)", count, previous);
    }

    private void Start(Dictionary<string, string> arguments) =>
        Append(new AuditRecord("daemon", "-", "audit-start", arguments, "-", 0, AuditPhase.Start));

    /// <returns>What the new log's first entry says of the old one.</returns>
    private Dictionary<string, string> MoveAsideUnkeyed(List<AuditEntry> entries)
    {
        var previous = AuditChain.Genesis;
        var problem = "intact";
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Seq != i + 1 || entry.Previous != previous || AuditChain.LegacyHash(entry) != entry.Hash)
            {
                problem = $"broken at entry {entry.Seq}";
                break;
            }

            previous = entry.Hash;
        }

        var aside = $"{_path}.unkeyed-{_time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        File.Move(_path, aside);
        return new Dictionary<string, string>
        {
            ["unkeyed.file"] = System.IO.Path.GetFileName(aside),
            ["unkeyed.entries"] = entries.Count.ToString(CultureInfo.InvariantCulture),
            ["unkeyed.head"] = entries[^1].Hash,
            ["unkeyed.chain"] = problem,
        };
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
}
