using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Probes;

/// <summary>The probe kinds, registered once and picked by what a <see cref="ProbeSpec"/> names.</summary>
internal sealed class ProbeKinds
{
    private readonly IReadOnlyList<IProbe> _kinds;

    public ProbeKinds(IEnumerable<IProbe> kinds) => _kinds = [.. kinds];

    public IReadOnlyList<IProbe> All => _kinds;

    /// <exception cref="InvalidOperationException">No kind handles the spec (validation prevents this).</exception>
    public IProbe For(ProbeSpec spec) =>
        _kinds.FirstOrDefault(k => k.Handles(spec)) ?? throw new InvalidOperationException("the probe names no known kind");
}
