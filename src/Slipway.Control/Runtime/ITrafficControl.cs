namespace Slipway.Control.Runtime;

/// <summary>
/// What a rollout needs to move traffic: which revision of a service is current, the split between revisions, and
/// the revision its preview host reaches, each change published as one whole routing table.
/// </summary>
internal interface ITrafficControl
{
    /// <summary>The revision that takes traffic outside a rollout (and the canary shield's stable one).</summary>
    (string Revision, string Version) Current(string service);

    /// <summary>Makes <paramref name="revision"/> current and sets the split (null: all to current) in one table swap.</summary>
    void SetTraffic(string service, string revision, string version, IReadOnlyDictionary<string, int>? weights);

    /// <summary>The revision the service's preview host reaches (null: none, the host answers 404).</summary>
    void SetPreview(string service, string? revision);
}
