namespace Slipway.Cli;

/// <summary>What the process tells its caller; documented in --help and docs/operations.md.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The operation was valid but did not succeed (a backup failed, a deploy rolled back).</summary>
    public const int Failed = 1;

    /// <summary>The command line or the manifest is wrong; nothing was done.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl-C or SIGTERM, after undoing what was under way (<see cref="Interruption"/>): 128 + SIGINT, as a shell reports it.</summary>
    public const int Interrupted = 130;
}
