using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Slipway.Control.State;
using Slipway.Core.Primitives;
using Slipway.Server.Api;

namespace Slipway.Server;

/// <summary>
/// The daemons this user runs: one file each in <c>$XDG_RUNTIME_DIR/slipway/daemons</c> (else
/// <c>$HOME/.local/state/slipway/daemons</c>) naming its state directory. A client verb given nothing else — no
/// <c>--server</c>, <c>--state-dir</c>, <c>--file</c>, <c>SLIPWAY_SERVER</c>, nor a <c>./.slipway/api.url</c> — uses
/// the one daemon that runs, wherever it was started from (the README's <c>slipway status</c> from the repository
/// root); with several it names them instead of guessing.
/// </summary>
internal static class DaemonRegistry
{
    public static string? Directory(Func<string, string?> environment) =>
        environment("XDG_RUNTIME_DIR") is { Length: > 0 } runtime ? Path.Combine(runtime, "slipway", "daemons")
        : environment("HOME") is { Length: > 0 } home ? Path.Combine(home, ".local", "state", "slipway", "daemons")
        : null;

    /// <summary>Records <paramref name="stateDirectory"/>'s daemon; returns the entry to delete when it stops, or null when none could be written.</summary>
    public static string? Register(string stateDirectory, Func<string, string?> environment)
    {
        if (Directory(environment) is not { } directory)
        {
            return null;
        }

        var entry = Path.Combine(directory, EntryName(stateDirectory));
        try
        {
            PrivateDirectory.Create(directory, narrowExisting: false);
            PrivateFile.Replace(entry, Encoding.UTF8.GetBytes(stateDirectory + "\n"));
            return entry;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // a read-only home: clients still find the daemon with --file or --state-dir
        }
    }

    /// <summary>The state directories whose daemon still runs (its <c>daemon.pid</c> lives and it wrote an <c>api.url</c>), sorted.</summary>
    public static IReadOnlyList<string> Running(Func<string, string?> environment)
    {
        if (Directory(environment) is not { } directory || !System.IO.Directory.Exists(directory))
        {
            return [];
        }

        var running = new List<string>();
        foreach (var entry in System.IO.Directory.EnumerateFiles(directory))
        {
            var stateDirectory = Read(entry);
            if (stateDirectory is not null && IsRunning(stateDirectory))
            {
                running.Add(stateDirectory);
            }
        }

        return [.. running.Order(StringComparer.Ordinal)];
    }

    private static bool IsRunning(string stateDirectory) =>
        File.Exists(Path.Combine(stateDirectory, ApiHost.AddressFile))
        && int.TryParse(Read(Path.Combine(stateDirectory, StateDirectoryLock.PidFileName)), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
        && System.IO.Directory.Exists($"/proc/{pid}");

    private static string EntryName(string stateDirectory) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stateDirectory)))[..16];

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim() is { Length: > 0 } text ? text : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
