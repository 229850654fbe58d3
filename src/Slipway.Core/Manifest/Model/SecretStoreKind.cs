namespace Slipway.Core.Manifest.Model;

/// <summary>The External Secrets Operator store an <c>ExternalSecret</c> reads from.</summary>
internal enum SecretStoreKind
{
    ClusterSecretStore,
    SecretStore,
}
