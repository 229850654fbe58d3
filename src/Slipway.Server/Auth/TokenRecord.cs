namespace Slipway.Server.Auth;

/// <summary>A stored token: its name (who, in the audit log), role, and the SHA-256 of the token (hex). Never the token.</summary>
internal sealed record TokenRecord(string Name, ApiRole Role, string Hash, DateTimeOffset Created);
