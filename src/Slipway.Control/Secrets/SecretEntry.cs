namespace Slipway.Control.Secrets;

/// <summary>One stored secret: AES-256-GCM ciphertext, its nonce and tag (base64), and when it was set.</summary>
internal sealed record SecretEntry(string Nonce, string Ciphertext, string Tag, DateTimeOffset Updated);
