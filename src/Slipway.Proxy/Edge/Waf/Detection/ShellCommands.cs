using System.Collections.Frozen;

namespace Slipway.Proxy.Edge.Waf.Detection;

/// <summary>Commands attackers run through an injection, from reconnaissance to reverse shells, Unix and Windows.</summary>
internal static class ShellCommands
{
    private static readonly FrozenDictionary<string, ShellCommand>.AlternateLookup<ReadOnlySpan<char>> Commands = Build();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> NetSubcommands = new[]
    {
        "user", "users", "localgroup", "group", "view", "share", "use", "session", "start", "stop", "accounts", "config",
    }.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    public static bool TryGet(ReadOnlySpan<char> name, out ShellCommand command) => Commands.TryGetValue(name, out command);

    public static bool IsNetSubcommand(ReadOnlySpan<char> word) => NetSubcommands.Contains(word);

    private static FrozenDictionary<string, ShellCommand>.AlternateLookup<ReadOnlySpan<char>> Build()
    {
        var commands = new Dictionary<string, ShellCommand>(StringComparer.Ordinal) { ["net"] = ShellCommand.Net };
        foreach (var name in new[]
        {
            "whoami", "uname", "wget", "curl", "nc", "ncat", "netcat", "bash", "sh", "zsh", "ksh", "csh", "tcsh",
            "powershell", "pwsh", "cmd", "certutil", "bitsadmin", "nslookup", "netstat", "ifconfig", "ipconfig", "crontab",
            "printenv", "xxd", "base64", "busybox", "systeminfo", "tasklist", "taskkill", "tftp", "xterm", "socat",
            "mkfifo", "sudo", "echo", "telnet", "chmod", "chown", "ps", "wmic", "mshta", "rundll32", "regsvr32",
            "cscript", "wscript", "schtasks", "getent", "lsof", "killall", "pkill", "nohup", "useradd", "usermod",
        })
        {
            commands[name] = ShellCommand.Unmistakable;
        }

        foreach (var name in new[]
        {
            "cat", "id", "ls", "ping", "sleep", "kill", "find", "type", "dir", "env", "rm", "cp", "mv", "head", "tail",
            "more", "less", "touch", "grep", "awk", "sed", "tee", "xargs", "wc", "tar", "dd", "su", "ssh", "scp", "ftp",
            "dig", "host", "whois", "traceroute", "tracert", "python", "python2", "python3", "perl", "ruby", "php", "lua",
            "nmap", "openssl", "mount", "reg", "uptime", "timeout", "which", "exec", "eval",
        })
        {
            commands[name] = ShellCommand.NeedsArguments;
        }

        return commands.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    }
}
