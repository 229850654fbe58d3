namespace Slipway.Control.Runtime;

/// <summary>
/// What a rollout needs from whoever runs the instances: revisions side by side, their readiness, and one
/// atomic switch of the current revision and the traffic split. The supervisor is the real one.
/// </summary>
internal interface IRevisionHost
{
    (string Revision, string Version) Current(string service);

    IReadOnlyList<RevisionState> Revisions(string service);

    Task StartRevisionAsync(string service, string revision, string version, int replicas);

    Task ScaleRevisionAsync(string service, string revision, int replicas);

    Task StopRevisionAsync(string service, string revision);

    /// <summary>Makes <paramref name="revision"/> current and sets the split (null: all to current) in one table swap.</summary>
    void SetTraffic(string service, string revision, string version, IReadOnlyDictionary<string, int>? weights);

    /// <summary>The revision the service's preview host reaches (null: none, the host answers 404).</summary>
    void SetPreview(string service, string? revision);

    /// <summary>Ready instances of a revision, for smoke checks sent straight to them when there is no edge proxy.</summary>
    IReadOnlyList<int> ReadyPorts(string service, string revision);
}
