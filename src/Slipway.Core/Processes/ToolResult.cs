namespace Slipway.Core.Processes;

/// <summary>What a short-lived tool printed and how it ended. Stderr is bounded, keeping its end.</summary>
/// <param name="Stdout">Empty when the caller streamed stdout itself.</param>
internal sealed record ToolResult(int ExitCode, string Stdout, string Stderr, bool TimedOut)
{
    public bool IsSuccess => ExitCode == 0 && !TimedOut;

    /// <summary>The last non-empty stderr line, where tools (PostgreSQL's among them) put the cause.</summary>
    public string LastErrorLine =>
        Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {ExitCode}";
}
