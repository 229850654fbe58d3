using System.ComponentModel.DataAnnotations;

namespace Slipway.Core.Manifest.Model;

/// <summary>AES-256-GCM, chunked so it streams, under a key kept in Slipway's secrets.</summary>
internal sealed record EncryptionSpec
{
    [Required]
    public string KeySecret { get; init; } = "";
}
