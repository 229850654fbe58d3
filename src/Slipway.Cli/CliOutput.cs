namespace Slipway.Cli;

/// <summary>Where a command writes (and, for the few that ask, reads): injected so tests see and answer what a user would.</summary>
internal sealed record CliOutput(TextWriter Out, TextWriter Error)
{
    /// <summary>Where a yes/no answer comes from.</summary>
    public TextReader In { get; init; } = Console.In;

    /// <summary>False when stdin is not a terminal: a verb that would ask refuses instead (CI passes --yes).</summary>
    public bool CanAsk { get; init; } = !Console.IsInputRedirected;
}
