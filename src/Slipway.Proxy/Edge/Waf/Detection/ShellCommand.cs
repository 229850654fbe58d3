namespace Slipway.Proxy.Edge.Waf.Detection;

/// <summary>How much a command name says on its own.</summary>
internal enum ShellCommand : byte
{
    /// <summary>An English word too (cat, find, sleep): it needs shell-looking arguments to count.</summary>
    NeedsArguments,

    /// <summary>No prose uses it (whoami, wget, powershell): any argument counts.</summary>
    Unmistakable,

    /// <summary>Windows <c>net</c>: counts with one of its subcommands (net user).</summary>
    Net,
}
