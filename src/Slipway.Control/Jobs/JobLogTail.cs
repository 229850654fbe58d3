using System.Text;

namespace Slipway.Control.Jobs;

/// <summary>The last lines of a run's output file, read from its end (a job may print gigabytes).</summary>
internal static class JobLogTail
{
    /// <summary>At most this much of the file's end is read; longer lines are cut.</summary>
    public const int MaxBytes = 16 * 1024;

    public static string Read(string path, int lines)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = Math.Min(file.Length, MaxBytes);
            file.Seek(-length, SeekOrigin.End);
            var buffer = new byte[length];
            file.ReadExactly(buffer);
            var text = Encoding.UTF8.GetString(buffer).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
            var all = text.Split('\n');
            if (length < file.Length && all.Length > 1)
            {
                all = all[1..]; // the first line was cut by the window
            }

            return string.Join('\n', all[Math.Max(0, all.Length - lines)..]);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return "";
        }
    }
}
