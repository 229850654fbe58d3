namespace Slipway.Core.Processes;

/// <summary>Linux signal numbers Slipway sends.</summary>
internal static class Signals
{
    public const int Hangup = 1;
    public const int Interrupt = 2;
    public const int Quit = 3;
    public const int Kill = 9;
    public const int User1 = 10;
    public const int User2 = 12;
    public const int Term = 15;

    public static string Name(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        10 => "SIGUSR1",
        12 => "SIGUSR2",
        15 => "SIGTERM",
        _ => $"signal {signal}",
    };
}
