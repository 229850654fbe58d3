using System.Globalization;
using Slipway.Core.Processes;

namespace Slipway.Backups.Postgres;

/// <summary>
/// The process that made a scratch cluster, by pid and start time (pids are reused), written into the cluster's root
/// as <c>PID STARTTIME</c>. A cluster whose owner is gone was left by a process killed before it could stop it.
/// </summary>
internal sealed record ScratchClusterOwner(int Pid, long StartTime)
{
    public const string FileName = "owner";

    public static ScratchClusterOwner Current { get; } =
        new(Environment.ProcessId, ProcFs.StartTime(Environment.ProcessId) ?? throw new InvalidOperationException("cannot read this process's start time from /proc"));

    public bool IsAlive => ProcFs.IsSameProcess(Pid, StartTime);

    public void WriteTo(string root) =>
        File.WriteAllText(Path.Combine(root, FileName), Pid.ToString(CultureInfo.InvariantCulture) + " " + StartTime.ToString(CultureInfo.InvariantCulture));

    /// <summary>The owner written into <paramref name="root"/>; null when there is none we can read (not ours to judge).</summary>
    public static ScratchClusterOwner? ReadFrom(string root)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(root, FileName));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var parts = text.Split(' ');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var startTime)
            ? new ScratchClusterOwner(pid, startTime)
            : null;
    }
}
