namespace Slipway.Backups.Postgres;

/// <summary>
/// One run of a PostgreSQL tool: the program and its arguments as a list (never a shell string),
/// extra environment (passwords travel as <c>PGPASSWORD</c>, never on the command line), and
/// optionally the user to run as (PostgreSQL's server tools refuse root).
/// </summary>
internal sealed record ToolInvocation(string Program, IReadOnlyList<string> Arguments)
{
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>When set and we are root, the tool runs through <c>runuser -u USER --</c>.</summary>
    public string? RunAs { get; init; }
}
