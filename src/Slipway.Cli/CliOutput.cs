namespace Slipway.Cli;

/// <summary>Where a command writes: injected so tests read what a user would see.</summary>
internal sealed record CliOutput(TextWriter Out, TextWriter Error);
