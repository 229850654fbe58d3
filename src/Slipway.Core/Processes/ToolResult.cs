namespace Slipway.Core.Processes;

/// <summary>What a short-lived tool printed and how it ended.</summary>
internal sealed record ToolResult(int ExitCode, string Stdout, string Stderr, bool TimedOut)
{
    public bool IsSuccess => ExitCode == 0 && !TimedOut;
}
