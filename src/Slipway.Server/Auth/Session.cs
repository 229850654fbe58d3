namespace Slipway.Server.Auth;

/// <summary>
/// A signed-in browser: the SHA-256 of its cookie value (never the value), the token it was opened with (by hash, so
/// revoking or replacing that token ends the session), the CSRF token the page must send back, and when it ends.
/// </summary>
internal sealed record Session(string IdHash, string TokenHash, string TokenName, string Csrf, DateTimeOffset Created, DateTimeOffset Expires);
