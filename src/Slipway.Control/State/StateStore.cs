using System.Globalization;
using Microsoft.Data.Sqlite;
using Slipway.Core.Primitives;

namespace Slipway.Control.State;

/// <summary>
/// Revisions, instances and events in SQLite (WAL). Every write is its own committed transaction; with WAL and
/// synchronous=NORMAL a committed write survives the daemon being killed (only a power loss can lose the last
/// few). One connection behind a lock: writes are few and small, readers in other processes (the CLI) open their own.
/// </summary>
internal sealed partial class StateStore : IDisposable
{
    public const string FileName = "state.db";

    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    private StateStore(SqliteConnection connection, StateDisk disk)
    {
        _connection = connection;
        Disk = disk;
    }

    /// <summary>The disk the store writes to: told of every write that fails for lack of space, and of every one that succeeds.</summary>
    public StateDisk Disk { get; }

    /// <param name="disk">Where to report writes that fail for lack of space (and with which reserve); a new one by default.</param>
    public static StateStore Open(string stateDirectory, bool readOnly = false, StateDisk? disk = null)
    {
        var path = Path.Combine(stateDirectory, FileName);
        if (!readOnly)
        {
            // SQLite would create the file with the umask's mode; its -wal and -shm files take the database's.
            PrivateDirectory.Create(stateDirectory);
            new FileStream(path, PrivateFile.Options(FileMode.OpenOrCreate)).Dispose();
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 10,
        };
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        var store = new StateStore(connection, disk ?? new StateDisk(stateDirectory));
        store.Execute("PRAGMA busy_timeout = 5000;");
        if (!readOnly)
        {
            store.Execute("""
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                CREATE TABLE IF NOT EXISTS revisions (
                    service TEXT NOT NULL, revision TEXT NOT NULL, version TEXT NOT NULL,
                    created TEXT NOT NULL, current INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (service, revision));
                CREATE TABLE IF NOT EXISTS instances (
                    id TEXT PRIMARY KEY, service TEXT NOT NULL, revision TEXT NOT NULL, slot INTEGER NOT NULL,
                    pid INTEGER NOT NULL, start_time INTEGER NOT NULL, port INTEGER NOT NULL,
                    stdout_path TEXT NOT NULL, stderr_path TEXT NOT NULL, active INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS events (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, service TEXT NOT NULL,
                    instance TEXT, kind TEXT NOT NULL, message TEXT NOT NULL);
                CREATE INDEX IF NOT EXISTS events_service ON events (service, seq);
                """);
            store.MigrateRollouts();
            store.MigrateStateful();
            store.MigrateJobs();
        }

        return store;
    }

    public void SetCurrentRevision(string service, string revision, string version, DateTimeOffset now)
    {
        Write(() =>
        {
            using var tx = _connection.BeginTransaction();
            Command("UPDATE revisions SET current = 0 WHERE service = $s", tx, ("$s", service)).ExecuteNonQuery();
            Command("""
                INSERT INTO revisions (service, revision, version, created, current) VALUES ($s, $r, $v, $t, 1)
                ON CONFLICT (service, revision) DO UPDATE SET current = 1
                """, tx, ("$s", service), ("$r", revision), ("$v", version), ("$t", Format(now))).ExecuteNonQuery();
            tx.Commit();
        });
    }

    public RevisionRecord? CurrentRevision(string service)
    {
        lock (_lock)
        {
            return ReadRevisions("WHERE service = $s AND current = 1", ("$s", service)).FirstOrDefault();
        }
    }

    public void SaveInstance(InstanceRecord instance)
    {
        Write(() =>
        {
            Command("""
                INSERT INTO instances (id, service, revision, slot, pid, start_time, port, stdout_path, stderr_path, active)
                VALUES ($id, $s, $r, $slot, $pid, $st, $port, $out, $err, $a)
                ON CONFLICT (id) DO UPDATE SET pid = $pid, start_time = $st, port = $port, stdout_path = $out,
                    stderr_path = $err, active = $a
                """, null,
                ("$id", instance.Id), ("$s", instance.Service), ("$r", instance.Revision), ("$slot", instance.Slot),
                ("$pid", instance.Pid), ("$st", instance.ProcessStartTime), ("$port", instance.Port),
                ("$out", instance.StdoutPath), ("$err", instance.StderrPath), ("$a", instance.Active ? 1 : 0)).ExecuteNonQuery();
        });
    }

    public void DeactivateInstance(string id)
    {
        Write(() =>
        {
            Command("UPDATE instances SET active = 0 WHERE id = $id", null, ("$id", id)).ExecuteNonQuery();
        });
    }

    public List<InstanceRecord> Instances(bool activeOnly)
    {
        lock (_lock)
        {
            using var command = Command(
                "SELECT id, service, revision, slot, pid, start_time, port, stdout_path, stderr_path, active FROM instances"
                + (activeOnly ? " WHERE active = 1" : "") + " ORDER BY id", null);
            using var reader = command.ExecuteReader();
            var result = new List<InstanceRecord>();
            while (reader.Read())
            {
                result.Add(new InstanceRecord(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4),
                    reader.GetInt64(5), reader.GetInt32(6), reader.GetString(7), reader.GetString(8), reader.GetInt64(9) != 0));
            }

            return result;
        }
    }

    public void AppendEvent(EventRecord e)
    {
        Write(() =>
        {
            Command("INSERT INTO events (time, service, instance, kind, message) VALUES ($t, $s, $i, $k, $m)", null,
                ("$t", Format(e.Time)), ("$s", e.Service), ("$i", (object?)e.Instance ?? DBNull.Value), ("$k", e.Kind), ("$m", e.Message))
                .ExecuteNonQuery();
        });
    }

    public List<EventRecord> Events(string? service = null, int limit = 1000)
    {
        lock (_lock)
        {
            using var command = Command(
                "SELECT time, service, instance, kind, message FROM (SELECT * FROM events"
                + (service is null ? "" : " WHERE service = $s") + " ORDER BY seq DESC LIMIT $n) ORDER BY seq", null,
                ("$s", (object?)service ?? DBNull.Value), ("$n", limit));
            using var reader = command.ExecuteReader();
            var result = new List<EventRecord>();
            while (reader.Read())
            {
                result.Add(new EventRecord(Parse(reader.GetString(0)), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetString(3), reader.GetString(4)));
            }

            return result;
        }
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>
    /// Runs one write under the lock. A write that fails for lack of space is told to <see cref="Disk"/> and thrown as
    /// <see cref="DiskFullException"/> (SQLite rolled it back: nothing of it was saved); one that succeeds tells the disk so.
    /// </summary>
    private T Write<T>(Func<T> write)
    {
        T result;
        SqliteException? noSpace = null;
        lock (_lock)
        {
            try
            {
                result = write();
            }
            catch (SqliteException e) when (StateDisk.IsNoSpace(e))
            {
                noSpace = e;
                result = default!;
            }
        }

        // Told outside the lock: a listener may record an event, which writes here again.
        if (noSpace is not null)
        {
            Disk.Failed(noSpace);
            throw new DiskFullException($"the state store could not be written: the disk holding {Disk.Directory} is full", noSpace);
        }

        Disk.Succeeded();
        return result;
    }

    private void Write(Action write) => Write(() =>
    {
        write();
        return 0;
    });

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private void Execute(string sql)
    {
        using var command = Command(sql, null);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, SqliteTransaction? tx, params (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
