namespace Slipway.Control.Secrets;

/// <summary>What may be shown about a secret: its name and when it was last set. Never its value.</summary>
internal sealed record SecretInfo(string Name, DateTimeOffset Updated);
