using Slipway.Core.Processes;

namespace Slipway.Control.Supervision;

/// <summary>
/// A stateful service's data directory, <c>STATE_DIR/data/SERVICE</c>: created (0700) before its first start,
/// given to <c>run.user</c> when the daemon is root, and never deleted or emptied by Slipway — not on a deploy, a
/// restart, a scale to 0, nor when the service leaves the manifest.
/// </summary>
internal static class DataDirectory
{
    public static string Root(string stateDirectory) => Path.Combine(stateDirectory, "data");

    public static string For(string stateDirectory, string service) => Path.Combine(Root(stateDirectory), service);

    /// <summary>Creates the directory when it is missing; returns true when it is empty (nothing was ever kept there).</summary>
    /// <exception cref="IOException">It cannot be created or given to the user; the message says why.</exception>
    public static bool Ensure(string stateDirectory, string service, string? user)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("stateful services need Linux");
        }

        var path = For(stateDirectory, service);
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (user is not null && UserAccount.IsRoot)
        {
            var account = UserAccount.Find(user) ?? throw new IOException($"the user {user} does not exist on this machine");
            account.Own(path);

            // The user must pass through the state directory to reach its data; others may pass, never list, and
            // every file there stays owner-only.
            foreach (var parent in new[] { stateDirectory, Root(stateDirectory) })
            {
                var mode = File.GetUnixFileMode(parent);
                if (!mode.HasFlag(UnixFileMode.OtherExecute))
                {
                    File.SetUnixFileMode(parent, mode | UnixFileMode.OtherExecute);
                }
            }
        }

        return !Directory.EnumerateFileSystemEntries(path).Any();
    }
}
