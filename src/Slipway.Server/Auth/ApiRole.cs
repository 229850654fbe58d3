namespace Slipway.Server.Auth;

/// <summary>What a token may do; each role includes the ones below it.</summary>
internal enum ApiRole
{
    /// <summary>Read everything except secrets' metadata, tokens and the audit log.</summary>
    Viewer = 0,

    /// <summary>Viewer, plus scale and restart (and, later, deploy and roll back).</summary>
    Deployer = 1,

    /// <summary>Deployer, plus secrets, tokens and the audit log.</summary>
    Admin = 2,
}
