using Microsoft.Data.Sqlite;
using Slipway.Control.Runtime;
using Slipway.Control.State;
using Slipway.Testing;

namespace Slipway.Control.Tests.State;

public sealed class StateStoreTests
{
    [Fact]
    public void SaveInstance_Reopened_ReadsBack()
    {
        using var dir = new TempDirectory();
        using (var store = StateStore.Open(dir.Path))
        {
            store.SetCurrentRevision("api", "2", "2", TestClock.Start);
            store.SaveInstance(new InstanceRecord("api-2-0", "api", "2", 0, 123, 456, 8080, "o", "e", true));
            store.SaveInstance(new InstanceRecord("api-2-1", "api", "2", 1, 124, 457, 8081, "o", "e", true));
            store.DeactivateInstance("api-2-1");
            store.AppendEvent(new EventRecord(TestClock.Start, "api", "api-2-0", "started", "pid 123"));
        }

        using var reopened = StateStore.Open(dir.Path, readOnly: true);
        Assert.Equal("2", reopened.CurrentRevision("api")!.Version);
        var active = Assert.Single(reopened.Instances(activeOnly: true));
        Assert.Equal((123, 456L, 8080), (active.Pid, active.ProcessStartTime, active.Port));
        var e = Assert.Single(reopened.Events("api"));
        Assert.Equal(("started", TestClock.Start), (e.Kind, e.Time));
        Assert.Empty(reopened.Events("other"));
    }

    [Fact]
    public void TryAcquire_SecondLockOnSameDirectory_RefusesWithHolderPid()
    {
        using var dir = new TempDirectory();
        using var first = StateDirectoryLock.TryAcquire(dir.Path, out _);
        Assert.NotNull(first);

        using var second = StateDirectoryLock.TryAcquire(dir.Path, out var error);

        Assert.Null(second);
        Assert.Contains($"pid {Environment.ProcessId}", error, StringComparison.Ordinal);
        Assert.Contains("already running", error, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateRevision_AfterStoreWithoutNumbers_NumbersOnAndKeepsHistory()
    {
        using var dir = new TempDirectory();
        using (var old = StateStore.Open(dir.Path))
        {
            old.SetCurrentRevision("api", "1", "1", TestClock.Start);
        }

        using var store = StateStore.Open(dir.Path);
        var second = store.CreateRevision("api", "v2", "{}", "ci", "fix login", TestClock.Start.AddMinutes(1));
        store.SetRevisionOutcome("api", second.Revision, RevisionOutcome.Promoted, TestClock.Start.AddMinutes(2));
        store.MakeCurrent("api", second.Revision);
        var third = store.CreateRevision("api", "1", null, "ci", null, TestClock.Start.AddMinutes(3));
        store.SetDesiredReplicas("api", third.Revision, 4);

        Assert.Equal(("2", "3"), (second.Revision, third.Revision));
        Assert.Equal(["3", "2", "1"], store.Revisions("api").Select(r => r.Revision));
        var promoted = store.Revision("api", "2")!;
        Assert.Equal(("v2", "ci", "fix login", (RevisionOutcome?)RevisionOutcome.Promoted, true), (promoted.Version, promoted.CreatedBy, promoted.Reason, promoted.Outcome, promoted.Current));
        Assert.Equal(4, store.DesiredReplicas("api")["3"]);
        store.SetDesiredReplicas("api", third.Revision, 0);
        Assert.Equal(0, store.DesiredReplicas("api")["3"]);
        store.ForgetDesiredReplicas("api", third.Revision);
        Assert.Empty(store.DesiredReplicas("api"));
    }

    [Fact]
    public void Rollouts_RowsWrittenAsWordsBeforeTheEnums_ReadBackAsMembers()
    {
        using var dir = new TempDirectory();
        using (StateStore.Open(dir.Path))
        {
        }

        // What a store written by the string-typed controller holds: kebab-case words.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir.Path, StateStore.FileName)};Pooling=false"))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO revisions (service, revision, version, created, current, outcome) VALUES ('api', '1', '1', '2026-01-01T00:00:00.0000000+00:00', 0, 'rolled-back');
                INSERT INTO rollouts (service, revision, version, stable, strategy, phase, step, paused, started, updated)
                VALUES ('api', '2', '2', '1', 'blue-green', 'waiting-promotion', 0, 1, '2026-01-01T00:00:00.0000000+00:00', '2026-01-01T00:01:00.0000000+00:00');
                """;
            insert.ExecuteNonQuery();
        }

        using var store = StateStore.Open(dir.Path);
        var rollout = Assert.Single(store.Rollouts());
        Assert.Equal((RolloutStrategy.BlueGreen, RolloutPhase.WaitingPromotion, true), (rollout.Strategy, rollout.Phase, rollout.Paused));
        Assert.Equal(RevisionOutcome.RolledBack, store.Revision("api", "1")!.Outcome);

        store.SaveRollout(rollout with { Phase = RolloutPhase.DrainingOld });
        Assert.Equal(RolloutPhase.DrainingOld, Assert.Single(store.Rollouts()).Phase);
    }

    [Fact]
    public void Rollouts_WordThisVersionDoesNotKnow_RefusedNamingTheColumn()
    {
        using var dir = new TempDirectory();
        using var store = StateStore.Open(dir.Path);
        store.SaveRollout(new RolloutRecord("api", "2", "2", "1", RolloutStrategy.Canary, RolloutPhase.Canary, 1, false, TestClock.Start, TestClock.Start));
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir.Path, StateStore.FileName)};Pooling=false"))
        {
            connection.Open();
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE rollouts SET phase = 'shadowing'";
            update.ExecuteNonQuery();
        }

        var error = Assert.Throws<InvalidDataException>(store.Rollouts);

        Assert.Contains("rollouts.phase holds \"shadowing\"", error.Message, StringComparison.Ordinal);
    }
}
