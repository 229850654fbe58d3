using Microsoft.Extensions.Time.Testing;
using Slipway.Server.Auth;
using Slipway.Testing;

namespace Slipway.Server.Tests.Auth;

public sealed class SessionStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = TestClock.Create();
    private readonly TokenRecord _token = new("alice", ApiRole.Deployer, new string('a', 64), TestClock.Start);

    [Fact]
    public void Find_BeforeLifetimeEnds_SessionWithItsToken()
    {
        var store = new SessionStore(_dir.Path, _time, TimeSpan.FromHours(1));
        var (id, opened) = store.Open(_token);
        _time.Advance(TimeSpan.FromMinutes(59));

        var (session, expired) = store.Find(id);

        Assert.False(expired);
        Assert.Equal(opened, session);
        Assert.Equal(_token.Hash, session!.TokenHash);
        Assert.Equal(TestClock.Start.AddHours(1), session.Expires);
    }

    [Fact]
    public void Find_AfterLifetime_ExpiredAndForgotten()
    {
        var store = new SessionStore(_dir.Path, _time, TimeSpan.FromHours(1));
        var (id, _) = store.Open(_token);
        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(new SessionLookup(null, true), store.Find(id));
        Assert.Equal(new SessionLookup(null, false), store.Find(id));
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Find_UnknownOrEndedId_NoSession()
    {
        var store = new SessionStore(_dir.Path, _time);
        var (id, session) = store.Open(_token);
        store.End(session);

        Assert.Null(store.Find(id).Session);
        Assert.Null(store.Find("made-up").Session);
    }

    [Fact]
    public void Open_AnotherStoreOnTheSameDirectory_FindsItAndTheFileHoldsNoId()
    {
        var (id, _) = new SessionStore(_dir.Path, _time).Open(_token);

        var restarted = new SessionStore(_dir.Path, _time);

        Assert.NotNull(restarted.Find(id).Session);
        var file = File.ReadAllText(_dir.Combine(SessionStore.FileName));
        Assert.DoesNotContain(id, file, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.Combine(SessionStore.FileName)));
    }

    [Fact]
    public void Open_PastTheLimit_OldestSessionsGo()
    {
        var store = new SessionStore(_dir.Path, _time);
        var (first, _) = store.Open(_token);
        for (var i = 1; i < SessionStore.MaxSessions; i++)
        {
            store.Open(_token);
        }

        var (last, _) = store.Open(_token);

        Assert.Equal(SessionStore.MaxSessions, store.Count);
        Assert.Null(store.Find(first).Session);
        Assert.NotNull(store.Find(last).Session);
    }

    [Fact]
    public void New_TornFile_StartsWithNoSessions()
    {
        File.WriteAllText(_dir.Combine(SessionStore.FileName), "[{\"idHash\":");

        Assert.Equal(0, new SessionStore(_dir.Path, _time).Count);
    }

    public void Dispose() => _dir.Dispose();
}
