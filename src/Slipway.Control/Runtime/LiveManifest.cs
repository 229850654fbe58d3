using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Runtime;

/// <summary>
/// The manifest the daemon runs now: the one <c>slipway up</c> loaded, with the service changes
/// <c>slipway apply</c> made since. Readers take <see cref="Current"/> once per decision; it is swapped whole.
/// </summary>
/// <remarks>
/// A run service's instances follow their revision's own spec (kept in the state store), not this: here live
/// only what is not part of a revision — routes, balancing, retries, deploy settings — and which services exist.
/// </remarks>
internal sealed class LiveManifest
{
    private volatile AppManifest _current;

    public LiveManifest(AppManifest manifest) => _current = manifest;

    public AppManifest Current => _current;

    public IReadOnlyDictionary<string, ServiceSpec> Services => _current.Services;

    /// <summary>Makes <paramref name="next"/> the running manifest (the applier does this, serialised).</summary>
    public void Replace(AppManifest next) => _current = next;
}
