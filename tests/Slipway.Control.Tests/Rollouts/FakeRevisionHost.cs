using Slipway.Control.Runtime;

namespace Slipway.Control.Tests.Rollouts;

/// <summary>
/// Instances as numbers, so the rollout state machine can be driven by a manual clock: new instances become ready
/// at once unless a version is listed in <see cref="NeverReady"/> or <see cref="CrashLooping"/>. Every traffic
/// switch and the largest instance count are kept for the tests to assert.
/// </summary>
internal sealed class FakeRevisionHost : IRevisionHost, ITrafficControl
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Version, int Desired)> _revisions = new(StringComparer.Ordinal);
    private string _current;
    private string _currentVersion;

    public FakeRevisionHost(string service, string revision, string version, int replicas)
    {
        Service = service;
        _current = revision;
        _currentVersion = version;
        _revisions[revision] = (version, replicas);
        MaxTotal = replicas;
        MinReady = replicas;
    }

    public string Service { get; }

    public HashSet<string> NeverReady { get; } = new(StringComparer.Ordinal);

    public HashSet<string> CrashLooping { get; } = new(StringComparer.Ordinal);

    /// <summary>Every SetTraffic: current revision and the split (null: all to current).</summary>
    public List<(string Current, IReadOnlyDictionary<string, int>? Weights)> Switches { get; } = [];

    public List<string> Started { get; } = [];

    public List<string> Stopped { get; } = [];

    /// <summary>The most instances that ran at once, all revisions together.</summary>
    public int MaxTotal { get; private set; }

    /// <summary>The fewest ready instances of revisions taking traffic at any change.</summary>
    public int MinReady { get; private set; }

    public int Desired(string revision)
    {
        lock (_lock)
        {
            return _revisions.TryGetValue(revision, out var r) ? r.Desired : 0;
        }
    }

    public (string Revision, string Version) Current(string service)
    {
        lock (_lock)
        {
            return (_current, _currentVersion);
        }
    }

    public IReadOnlyList<RevisionState> Revisions(string service)
    {
        lock (_lock)
        {
            return [.. _revisions.Where(r => r.Value.Desired > 0).Select(r => new RevisionState(r.Key, r.Value.Version, r.Key == _current, r.Value.Desired,
                NeverReady.Contains(r.Value.Version) || CrashLooping.Contains(r.Value.Version) ? 0 : r.Value.Desired,
                CrashLooping.Contains(r.Value.Version) ? r.Value.Desired : 0))];
        }
    }

    public Task StartRevisionAsync(string service, string revision, string version, int replicas)
    {
        lock (_lock)
        {
            Started.Add(revision);
            var existing = _revisions.GetValueOrDefault(revision).Desired;
            _revisions[revision] = (version, existing + replicas);
            Measure();
        }

        return Task.CompletedTask;
    }

    public Task ScaleRevisionAsync(string service, string revision, int replicas)
    {
        lock (_lock)
        {
            _revisions[revision] = (_revisions[revision].Version, replicas);
            Measure();
        }

        return Task.CompletedTask;
    }

    public Task StopRevisionAsync(string service, string revision)
    {
        lock (_lock)
        {
            if (_revisions.ContainsKey(revision))
            {
                Stopped.Add(revision);
                _revisions[revision] = (_revisions[revision].Version, 0);
            }
        }

        return Task.CompletedTask;
    }

    public void SetTraffic(string service, string revision, string version, IReadOnlyDictionary<string, int>? weights)
    {
        lock (_lock)
        {
            _current = revision;
            _currentVersion = version;
            Switches.Add((revision, weights is null ? null : new Dictionary<string, int>(weights, StringComparer.Ordinal)));
        }
    }

    /// <summary>Every SetPreview, in order (null: cleared).</summary>
    public List<string?> Previews { get; } = [];

    public void SetPreview(string service, string? revision)
    {
        lock (_lock)
        {
            Previews.Add(revision);
        }
    }

    public IReadOnlyList<int> ReadyPorts(string service, string revision) => [];

    /// <summary>What hooks get as the app's shared variables.</summary>
    public IReadOnlyDictionary<string, string> SharedEnvironment { get; set; } = new Dictionary<string, string>();

    // Under _lock.
    private void Measure()
    {
        MaxTotal = Math.Max(MaxTotal, _revisions.Values.Sum(r => r.Desired));
        var ready = _revisions.Where(r => !NeverReady.Contains(r.Value.Version) && !CrashLooping.Contains(r.Value.Version)).Sum(r => r.Value.Desired);
        MinReady = Math.Min(MinReady, ready);
    }
}
