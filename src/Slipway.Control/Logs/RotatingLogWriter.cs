using System.Text;
using Slipway.Core.Primitives;

namespace Slipway.Control.Logs;

/// <summary>Appends lines to a file that rotates past <c>maxBytes</c>, keeping <c>keep</c> old files.</summary>
internal sealed class RotatingLogWriter
{
    private readonly string _path;
    private readonly long _maxBytes;
    private readonly int _keep;

    public RotatingLogWriter(string path, long maxBytes, int keep)
    {
        _path = path;
        _maxBytes = maxBytes;
        _keep = keep;
    }

    /// <exception cref="IOException">The disk is full or the file cannot be written; the caller counts the loss.</exception>
    public void Append(IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        var info = new FileInfo(_path);
        if (info.Exists && info.Length >= _maxBytes)
        {
            Rotate();
        }

        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        using var stream = new FileStream(_path, PrivateFile.Options(FileMode.Append, FileShare.ReadWrite | FileShare.Delete));
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        stream.Write(bytes);
    }

    /// <summary>The files of this log, oldest first.</summary>
    public static IEnumerable<string> Files(string path)
    {
        var rotated = new List<(int N, string File)>();
        var dir = Path.GetDirectoryName(path)!;
        var name = Path.GetFileName(path);
        if (Directory.Exists(dir))
        {
            foreach (var file in Directory.EnumerateFiles(dir, name + ".*"))
            {
                if (int.TryParse(Path.GetExtension(file).TrimStart('.'), out var n))
                {
                    rotated.Add((n, file));
                }
            }
        }

        foreach (var (_, file) in rotated.OrderByDescending(r => r.N))
        {
            yield return file;
        }

        if (File.Exists(path))
        {
            yield return path;
        }
    }

    private void Rotate()
    {
        File.Delete($"{_path}.{_keep}");
        for (var i = _keep - 1; i >= 1; i--)
        {
            if (File.Exists($"{_path}.{i}"))
            {
                File.Move($"{_path}.{i}", $"{_path}.{i + 1}", overwrite: true);
            }
        }

        File.Move(_path, $"{_path}.1", overwrite: true);
    }
}
