namespace Slipway.Core.Primitives;

/// <summary>Where a manifest value comes from.</summary>
internal enum ValueReferenceKind
{
    /// <summary>The text itself.</summary>
    Literal,

    /// <summary><c>env:NAME</c>: the daemon's environment variable NAME.</summary>
    Env,

    /// <summary><c>secret:NAME</c>: the secret store's entry NAME.</summary>
    Secret,
}
