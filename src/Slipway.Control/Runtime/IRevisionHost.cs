namespace Slipway.Control.Runtime;

/// <summary>
/// What a rollout needs from whoever runs the instances: revisions side by side and their readiness. The
/// supervisor is the real one; traffic moves through <see cref="ITrafficControl"/>.
/// </summary>
internal interface IRevisionHost
{
    /// <summary>Every revision with instances wanted, the current one first.</summary>
    IReadOnlyList<RevisionState> Revisions(string service);

    /// <summary>Runs <paramref name="replicas"/> instances of a revision beside the others (adds to any it has already).</summary>
    Task StartRevisionAsync(string service, string revision, string version, int replicas);

    /// <summary>Sets how many instances of a running revision there are; the ones removed are drained, then stopped.</summary>
    Task ScaleRevisionAsync(string service, string revision, int replicas);

    /// <summary>Drains and stops every instance of a revision, all at once, and forgets it.</summary>
    Task StopRevisionAsync(string service, string revision);

    /// <summary>Ready instances of a revision, for smoke checks sent straight to them when there is no edge proxy.</summary>
    IReadOnlyList<int> ReadyPorts(string service, string revision);

    /// <summary>The variables every child of the app gets (<c>SLIPWAY_&lt;SERVICE&gt;_URL</c>); hooks get them too.</summary>
    IReadOnlyDictionary<string, string> SharedEnvironment { get; }
}
