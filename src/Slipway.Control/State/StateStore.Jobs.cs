using Slipway.Control.Runtime;
using Slipway.Core.Manifest.Binding;

namespace Slipway.Control.State;

/// <summary>Job runs: one row each, from its start to its end, the newest <see cref="JobRunsKept"/> per job kept.</summary>
internal sealed partial class StateStore
{
    /// <summary>Runs kept per job; older rows (and their log files, which the caller deletes) go.</summary>
    public const int JobRunsKept = 50;

    private const string JobRunColumns = "id, job, trigger, by, started, ended, exit_code, outcome, message, log_tail, log_path, pid, start_time";

    private void MigrateJobs() => Execute("""
        CREATE TABLE IF NOT EXISTS job_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL, trigger TEXT NOT NULL, by TEXT,
            started TEXT NOT NULL, ended TEXT, exit_code INTEGER, outcome TEXT NOT NULL, message TEXT,
            log_tail TEXT NOT NULL DEFAULT '', log_path TEXT, pid INTEGER, start_time INTEGER);
        CREATE INDEX IF NOT EXISTS job_runs_job ON job_runs (job, id);
        """);

    /// <summary>Records a run that is starting; returns it with its id.</summary>
    public JobRunRecord StartJobRun(string job, JobTrigger trigger, string? by, DateTimeOffset started)
    {
        lock (_lock)
        {
            using var command = Command("""
                INSERT INTO job_runs (job, trigger, by, started, outcome) VALUES ($j, $t, $b, $s, $o);
                SELECT last_insert_rowid();
                """, null, ("$j", job), ("$t", ScalarParsers.EnumName(trigger)), ("$b", (object?)by ?? DBNull.Value), ("$s", Format(started)),
                ("$o", ScalarParsers.EnumName(JobOutcome.Running)));
            var id = (long)command.ExecuteScalar()!;
            return new JobRunRecord(id, job, trigger, by, started, null, null, JobOutcome.Running, null, "");
        }
    }

    /// <summary>The run's process has started: its identity and where its output goes.</summary>
    public void SetJobRunProcess(long id, int pid, long startTime, string logPath)
    {
        lock (_lock)
        {
            Command("UPDATE job_runs SET pid = $p, start_time = $st, log_path = $l WHERE id = $id", null,
                ("$id", id), ("$p", pid), ("$st", startTime), ("$l", logPath)).ExecuteNonQuery();
        }
    }

    public void FinishJobRun(long id, DateTimeOffset ended, int? exitCode, JobOutcome outcome, string? message, string logTail)
    {
        lock (_lock)
        {
            Command("UPDATE job_runs SET ended = $e, exit_code = $x, outcome = $o, message = $m, log_tail = $tail WHERE id = $id", null,
                ("$id", id), ("$e", Format(ended)), ("$x", (object?)exitCode ?? DBNull.Value), ("$o", ScalarParsers.EnumName(outcome)),
                ("$m", (object?)message ?? DBNull.Value), ("$tail", logTail)).ExecuteNonQuery();
        }
    }

    /// <summary>The newest runs of a job, newest first.</summary>
    public List<JobRunRecord> JobRuns(string job, int limit = JobRunsKept)
    {
        lock (_lock)
        {
            return ReadJobRuns("WHERE job = $j ORDER BY id DESC LIMIT $n", ("$j", job), ("$n", limit));
        }
    }

    public JobRunRecord? JobRun(long id)
    {
        lock (_lock)
        {
            return ReadJobRuns("WHERE id = $id", ("$id", id)).FirstOrDefault();
        }
    }

    /// <summary>Runs recorded as running: at start, what a previous daemon left.</summary>
    public List<JobRunRecord> UnfinishedJobRuns()
    {
        lock (_lock)
        {
            return ReadJobRuns("WHERE outcome = $o ORDER BY id", ("$o", ScalarParsers.EnumName(JobOutcome.Running)));
        }
    }

    /// <summary>Deletes a job's runs beyond the newest <see cref="JobRunsKept"/>; returns their log files for the caller to delete.</summary>
    public List<string> PruneJobRuns(string job)
    {
        lock (_lock)
        {
            // Read before the transaction: a command without it fails while one is pending (ReadJobRuns takes none).
            var old = ReadJobRuns("WHERE job = $j AND outcome != $running AND id NOT IN (SELECT id FROM job_runs WHERE job = $j ORDER BY id DESC LIMIT $n)",
                ("$j", job), ("$n", JobRunsKept), ("$running", ScalarParsers.EnumName(JobOutcome.Running)));
            using var tx = _connection.BeginTransaction();
            foreach (var run in old)
            {
                Command("DELETE FROM job_runs WHERE id = $id", tx, ("$id", run.Id)).ExecuteNonQuery();
            }

            tx.Commit();
            return [.. old.Select(r => r.LogPath).OfType<string>()];
        }
    }

    private List<JobRunRecord> ReadJobRuns(string where, params (string Name, object Value)[] parameters)
    {
        using var command = Command($"SELECT {JobRunColumns} FROM job_runs {where}", null, parameters);
        using var reader = command.ExecuteReader();
        var result = new List<JobRunRecord>();
        while (reader.Read())
        {
            result.Add(new JobRunRecord(
                reader.GetInt64(0), reader.GetString(1), Stored<JobTrigger>(reader.GetString(2), "job_runs.trigger"), Text(reader, 3),
                Parse(reader.GetString(4)), reader.IsDBNull(5) ? null : Parse(reader.GetString(5)), reader.IsDBNull(6) ? null : reader.GetInt32(6),
                Stored<JobOutcome>(reader.GetString(7), "job_runs.outcome"), Text(reader, 8), reader.GetString(9))
            {
                LogPath = Text(reader, 10),
                Pid = reader.IsDBNull(11) ? null : reader.GetInt32(11),
                ProcessStartTime = reader.IsDBNull(12) ? null : reader.GetInt64(12),
            });
        }

        return result;
    }
}
