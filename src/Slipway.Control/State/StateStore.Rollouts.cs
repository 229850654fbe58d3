using Microsoft.Data.Sqlite;
using Slipway.Control.Runtime;
using Slipway.Core.Manifest.Binding;

namespace Slipway.Control.State;

/// <summary>Numbered revisions with their history, desired replicas per revision, and rollouts in progress.</summary>
internal sealed partial class StateStore
{
    private static readonly string[] RevisionColumns = ["spec", "created_by", "reason", "outcome", "finished"];

    /// <summary>Creates the next numbered revision of <paramref name="service"/> (1, 2, 3…); not current until promoted.</summary>
    public RevisionRecord CreateRevision(string service, string version, string? spec, string createdBy, string? reason, DateTimeOffset now)
    {
        return Write(() =>
        {
            using var tx = _connection.BeginTransaction();
            long next;
            using (var max = Command("SELECT COALESCE(MAX(CAST(revision AS INTEGER)), 0) + 1 FROM revisions WHERE service = $s", tx, ("$s", service)))
            {
                next = (long)max.ExecuteScalar()!;
            }

            var revision = next.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Command("""
                INSERT INTO revisions (service, revision, version, created, current, spec, created_by, reason)
                VALUES ($s, $r, $v, $t, 0, $spec, $by, $why)
                """, tx, ("$s", service), ("$r", revision), ("$v", version), ("$t", Format(now)),
                ("$spec", (object?)spec ?? DBNull.Value), ("$by", createdBy), ("$why", (object?)reason ?? DBNull.Value)).ExecuteNonQuery();
            tx.Commit();
            return new RevisionRecord(service, revision, version, now, false) { Spec = spec, CreatedBy = createdBy, Reason = reason };
        });
    }

    /// <summary>Marks one revision current (the one that takes traffic outside a rollout), every other not.</summary>
    public void MakeCurrent(string service, string revision)
    {
        Write(() =>
        {
            using var tx = _connection.BeginTransaction();
            Command("UPDATE revisions SET current = CASE WHEN revision = $r THEN 1 ELSE 0 END WHERE service = $s", tx, ("$s", service), ("$r", revision)).ExecuteNonQuery();
            tx.Commit();
        });
    }

    public void SetRevisionOutcome(string service, string revision, RevisionOutcome outcome, DateTimeOffset? finished)
    {
        Write(() =>
        {
            Command("UPDATE revisions SET outcome = $o, finished = $f WHERE service = $s AND revision = $r", null,
                ("$s", service), ("$r", revision), ("$o", ScalarParsers.EnumName(outcome)), ("$f", finished is { } f ? Format(f) : DBNull.Value)).ExecuteNonQuery();
        });
    }

    public RevisionRecord? Revision(string service, string revision)
    {
        lock (_lock)
        {
            return ReadRevisions("WHERE service = $s AND revision = $r", ("$s", service), ("$r", revision)).FirstOrDefault();
        }
    }

    /// <summary>Every revision of a service, newest first.</summary>
    public List<RevisionRecord> Revisions(string service)
    {
        lock (_lock)
        {
            return ReadRevisions("WHERE service = $s", ("$s", service));
        }
    }

    /// <summary>Records how many instances of a revision should run (0 included: a service scaled to zero stays so).</summary>
    public void SetDesiredReplicas(string service, string revision, int replicas) => Write(() =>
    {
        Command("INSERT INTO desired (service, revision, replicas) VALUES ($s, $r, $n) ON CONFLICT (service, revision) DO UPDATE SET replicas = $n", null,
            ("$s", service), ("$r", revision), ("$n", replicas)).ExecuteNonQuery();
    });

    /// <summary>Forgets a revision's desired replicas: it is stopped and no longer wanted.</summary>
    public void ForgetDesiredReplicas(string service, string revision) => Write(() =>
    {
        Command("DELETE FROM desired WHERE service = $s AND revision = $r", null, ("$s", service), ("$r", revision)).ExecuteNonQuery();
    });

    /// <summary>Desired replicas per revision of a service, as last recorded.</summary>
    public Dictionary<string, int> DesiredReplicas(string service)
    {
        lock (_lock)
        {
            using var command = Command("SELECT revision, replicas FROM desired WHERE service = $s", null, ("$s", service));
            using var reader = command.ExecuteReader();
            var result = new Dictionary<string, int>(StringComparer.Ordinal);
            while (reader.Read())
            {
                result[reader.GetString(0)] = reader.GetInt32(1);
            }

            return result;
        }
    }

    public void SaveRollout(RolloutRecord rollout)
    {
        Write(() =>
        {
            Command("""
                INSERT INTO rollouts (service, revision, version, stable, strategy, phase, step, paused, started, updated)
                VALUES ($s, $r, $v, $st, $k, $p, $n, $pa, $t0, $t1)
                ON CONFLICT (service) DO UPDATE SET revision = $r, version = $v, stable = $st, strategy = $k, phase = $p,
                    step = $n, paused = $pa, started = $t0, updated = $t1
                """, null,
                ("$s", rollout.Service), ("$r", rollout.Revision), ("$v", rollout.Version), ("$st", rollout.StableRevision),
                ("$k", ScalarParsers.EnumName(rollout.Strategy)), ("$p", ScalarParsers.EnumName(rollout.Phase)), ("$n", rollout.Step), ("$pa", rollout.Paused ? 1 : 0),
                ("$t0", Format(rollout.Started)), ("$t1", Format(rollout.Updated))).ExecuteNonQuery();
        });
    }

    public void DeleteRollout(string service)
    {
        Write(() =>
        {
            Command("DELETE FROM rollouts WHERE service = $s", null, ("$s", service)).ExecuteNonQuery();
        });
    }

    /// <summary>Rollouts a daemon left unfinished.</summary>
    public List<RolloutRecord> Rollouts()
    {
        lock (_lock)
        {
            using var command = Command("SELECT service, revision, version, stable, strategy, phase, step, paused, started, updated FROM rollouts ORDER BY service", null);
            using var reader = command.ExecuteReader();
            var result = new List<RolloutRecord>();
            while (reader.Read())
            {
                result.Add(new RolloutRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    Stored<RolloutStrategy>(reader.GetString(4), "rollouts.strategy"), Stored<RolloutPhase>(reader.GetString(5), "rollouts.phase"), reader.GetInt32(6), reader.GetInt64(7) != 0, Parse(reader.GetString(8)), Parse(reader.GetString(9))));
            }

            return result;
        }
    }

    /// <summary>Additive only: new tables, and new nullable columns on revisions for stores written before them.</summary>
    private void MigrateRollouts()
    {
        Execute("""
            CREATE TABLE IF NOT EXISTS desired (
                service TEXT NOT NULL, revision TEXT NOT NULL, replicas INTEGER NOT NULL,
                PRIMARY KEY (service, revision));
            CREATE TABLE IF NOT EXISTS rollouts (
                service TEXT PRIMARY KEY, revision TEXT NOT NULL, version TEXT NOT NULL, stable TEXT NOT NULL,
                strategy TEXT NOT NULL, phase TEXT NOT NULL, step INTEGER NOT NULL, paused INTEGER NOT NULL,
                started TEXT NOT NULL, updated TEXT NOT NULL);
            """);
        var existing = new HashSet<string>(StringComparer.Ordinal);
        using (var info = Command("PRAGMA table_info(revisions)", null))
        using (var reader = info.ExecuteReader())
        {
            while (reader.Read())
            {
                existing.Add(reader.GetString(1));
            }
        }

        foreach (var column in RevisionColumns.Where(c => !existing.Contains(c)))
        {
            Execute($"ALTER TABLE revisions ADD COLUMN {column} TEXT");
        }
    }

    // Under _lock.
    private List<RevisionRecord> ReadRevisions(string where, params (string Name, object Value)[] parameters)
    {
        using var command = Command(
            $"SELECT service, revision, version, created, current, spec, created_by, reason, outcome, finished FROM revisions {where} ORDER BY created DESC, CAST(revision AS INTEGER) DESC",
            null, parameters);
        using var reader = command.ExecuteReader();
        var result = new List<RevisionRecord>();
        while (reader.Read())
        {
            result.Add(new RevisionRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), Parse(reader.GetString(3)), reader.GetInt64(4) != 0)
            {
                Spec = Text(reader, 5),
                CreatedBy = Text(reader, 6),
                Reason = Text(reader, 7),
                Outcome = Text(reader, 8) is { } o ? Stored<RevisionOutcome>(o, "revisions.outcome") : null,
                Finished = Text(reader, 9) is { } f ? Parse(f) : null,
            });
        }

        return result;
    }

    /// <summary>A stored kebab-case word (<c>blue-green</c>, <c>waiting-ready</c>) as its member; one this build does not know is refused by name.</summary>
    private static T Stored<T>(string text, string column)
        where T : struct, Enum =>
        ScalarParsers.TryParseEnum<T>(text, out var value)
            ? value
            : throw new InvalidDataException($"the state store's {column} holds \"{text}\", which this version of Slipway does not know (written by a newer one?)");

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
