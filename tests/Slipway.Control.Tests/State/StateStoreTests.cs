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
            store.SetCurrentRevision("api", "2", "2", ManualTimeProvider.DefaultStart);
            store.SaveInstance(new InstanceRecord("api-2-0", "api", "2", 0, 123, 456, 8080, "o", "e", true));
            store.SaveInstance(new InstanceRecord("api-2-1", "api", "2", 1, 124, 457, 8081, "o", "e", true));
            store.DeactivateInstance("api-2-1");
            store.AppendEvent(new EventRecord(ManualTimeProvider.DefaultStart, "api", "api-2-0", "started", "pid 123"));
        }

        using var reopened = StateStore.Open(dir.Path, readOnly: true);
        Assert.Equal("2", reopened.CurrentRevision("api")!.Version);
        var active = Assert.Single(reopened.Instances(activeOnly: true));
        Assert.Equal((123, 456L, 8080), (active.Pid, active.ProcessStartTime, active.Port));
        var e = Assert.Single(reopened.Events("api"));
        Assert.Equal(("started", ManualTimeProvider.DefaultStart), (e.Kind, e.Time));
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
            old.SetCurrentRevision("api", "1", "1", ManualTimeProvider.DefaultStart);
        }

        using var store = StateStore.Open(dir.Path);
        var second = store.CreateRevision("api", "v2", "{}", "ci", "fix login", ManualTimeProvider.DefaultStart.AddMinutes(1));
        store.SetRevisionOutcome("api", second.Revision, "promoted", ManualTimeProvider.DefaultStart.AddMinutes(2));
        store.MakeCurrent("api", second.Revision);
        var third = store.CreateRevision("api", "1", null, "ci", null, ManualTimeProvider.DefaultStart.AddMinutes(3));
        store.SetDesiredReplicas("api", third.Revision, 4);

        Assert.Equal(("2", "3"), (second.Revision, third.Revision));
        Assert.Equal(["3", "2", "1"], store.Revisions("api").Select(r => r.Revision));
        var promoted = store.Revision("api", "2")!;
        Assert.Equal(("v2", "ci", "fix login", "promoted", true), (promoted.Version, promoted.CreatedBy, promoted.Reason, promoted.Outcome, promoted.Current));
        Assert.Equal(4, store.DesiredReplicas("api")["3"]);
        store.SetDesiredReplicas("api", third.Revision, 0);
        Assert.Equal(0, store.DesiredReplicas("api")["3"]);
        store.ForgetDesiredReplicas("api", third.Revision);
        Assert.Empty(store.DesiredReplicas("api"));
    }
}
