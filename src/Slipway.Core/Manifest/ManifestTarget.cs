namespace Slipway.Core.Manifest;

/// <summary>What a manifest is loaded for: the keys each can act on differ.</summary>
internal enum ManifestTarget
{
    /// <summary><c>validate</c>, <c>up</c>, <c>apply</c>: this machine's daemon. Keys it does not act on yet are refused (<see cref="Validation.UnsupportedKeys"/>).</summary>
    Machine,

    /// <summary><c>render kubernetes</c>: the renderer acts on some of those (autoscale as an HPA, TLS on the Ingress) and notes the rest itself.</summary>
    Kubernetes,
}
