namespace Slipway.Control.Rollouts;

/// <summary>Why a rollout command was refused, so the API can answer 404, 409, 400 or 403.</summary>
internal enum RefusalKind
{
    /// <summary>No such service or revision.</summary>
    NotFound,

    /// <summary>Another rollout runs, nothing runs to act on, or a deploy window is closed.</summary>
    Conflict,

    /// <summary>The request itself is wrong (an upstream service, a bad version).</summary>
    Invalid,

    /// <summary>The caller's role does not allow it (an apply that changes what only an admin may).</summary>
    Forbidden,
}
