using System.ComponentModel.DataAnnotations;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// Opt-in: the app's Secret is written by the External Secrets Operator from a store (Vault, a cloud secret manager)
/// through an <c>ExternalSecret</c>, instead of being created by hand.
/// </summary>
internal sealed record ExternalSecretsSpec
{
    /// <summary>The <c>SecretStore</c> or <c>ClusterSecretStore</c> to read from.</summary>
    [Required]
    public string Store { get; init; } = "";

    public SecretStoreKind Kind { get; init; } = SecretStoreKind.ClusterSecretStore;

    /// <summary>How often the operator reads the store again.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromHours(1);
}
