namespace Slipway.Control.Logs;

/// <summary>Reads stamped log lines straight from a state directory; what <c>slipway logs</c> uses.</summary>
internal static class LogReader
{
    /// <summary>Every stored line of a service (optionally one instance), in time order.</summary>
    public static List<LogLine> Read(string stateDirectory, string service, string? instance = null)
    {
        var lines = new List<LogLine>();
        var dir = LogPaths.ServiceDirectory(stateDirectory, service);
        if (!Directory.Exists(dir))
        {
            return lines;
        }

        foreach (var current in Directory.EnumerateFiles(dir, "*.log"))
        {
            var id = Path.GetFileNameWithoutExtension(current);
            if (instance is not null && id != instance)
            {
                continue;
            }

            foreach (var file in RotatingLogWriter.Files(current))
            {
                foreach (var text in ReadLines(file))
                {
                    if (LogLine.Parse(id, text) is { } line)
                    {
                        lines.Add(line);
                    }
                }
            }
        }

        return [.. lines.OrderBy(l => l.Time)];
    }

    private static List<string> ReadLines(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var result = new List<string>();
            while (reader.ReadLine() is { } line)
            {
                result.Add(line);
            }

            return result;
        }
        catch (FileNotFoundException)
        {
            return []; // rotated away between listing and reading
        }
    }
}
