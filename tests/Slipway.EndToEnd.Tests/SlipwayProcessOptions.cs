namespace Slipway.EndToEnd.Tests;

/// <summary>How a <see cref="SlipwayProcess"/> starts beyond its arguments.</summary>
internal sealed record SlipwayProcessOptions
{
    /// <summary>Variables set (a value) or removed (null) in the child's environment, on top of the test's own.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>The umask to start under, e.g. <c>022</c>; the test's own when null.</summary>
    public string? Umask { get; init; }

    /// <summary>The user id (and group id) to run as, e.g. 65534 (nobody); the test's own when null.</summary>
    public int? User { get; init; }
}
