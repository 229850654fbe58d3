namespace Slipway.Backups.Postgres;

/// <summary>How a PostgreSQL tool ended: its exit code and what it said on stderr (bounded).</summary>
internal sealed record ToolResult(int ExitCode, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last non-empty stderr line: PostgreSQL tools put the cause there.</summary>
    public string LastErrorLine =>
        StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {ExitCode}";
}
