using System.Globalization;
using Slipway.Core.Primitives;

namespace Slipway.Control.State;

/// <summary>
/// One daemon per state directory. .NET takes an advisory <c>flock(LOCK_EX | LOCK_NB)</c> for
/// <see cref="FileShare.None"/> on Unix, released by the kernel when the process dies however it dies,
/// so a stale lock after <c>kill -9</c> is impossible. The holder's pid is written beside it for the message.
/// </summary>
internal sealed class StateDirectoryLock : IDisposable
{
    public const string FileName = "daemon.lock";
    public const string PidFileName = "daemon.pid";

    private readonly FileStream _stream;

    private StateDirectoryLock(FileStream stream) => _stream = stream;

    /// <summary>
    /// Takes the lock, or returns null with a message that says who holds it. The state directory is made
    /// owner-only (0700) on the way, an existing one too: what is below it is the daemon's alone.
    /// </summary>
    public static StateDirectoryLock? TryAcquire(string stateDirectory, out string? error)
    {
        PrivateDirectory.Create(stateDirectory, narrowExisting: true);
        var path = Path.Combine(stateDirectory, FileName);
        var pidPath = Path.Combine(stateDirectory, PidFileName);
        try
        {
            var options = PrivateFile.Options(FileMode.OpenOrCreate, FileShare.None);
            options.Access = FileAccess.ReadWrite;
            var stream = new FileStream(path, options);
            PrivateFile.Write(pidPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            error = null;
            return new StateDirectoryLock(stream);
        }
        catch (IOException)
        {
            var holder = File.Exists(pidPath) ? File.ReadAllText(pidPath).Trim() : "unknown";
            error = $"another slipway daemon (pid {holder}) is already running on state directory {stateDirectory}; stop it first or pass a different --state-dir";
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}
