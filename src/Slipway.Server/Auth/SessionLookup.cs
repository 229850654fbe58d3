namespace Slipway.Server.Auth;

/// <summary>What a session cookie led to: the open session, or none, and if none whether it was one that expired.</summary>
internal readonly record struct SessionLookup(Session? Session, bool Expired);
