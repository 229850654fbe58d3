using System.Text;

namespace Slipway.Control.Logs;

/// <summary>
/// Searches every stored line across services, revisions and instances. Each instance's files are read
/// forward as a stream (rotated oldest first, then current) and merged by time; only the newest
/// <see cref="LogQuery.Limit"/> matches are held, so memory stays bounded however large the logs are.
/// Files that end before <see cref="LogQuery.Since"/> or start at/after <see cref="LogQuery.Until"/> are skipped
/// after reading one line.
/// </summary>
internal static class LogSearch
{
    /// <summary>Bytes read from a file's end to find its last line's stamp.</summary>
    private const int TailProbeBytes = 128 * 1024;

    /// <summary>The newest <see cref="LogQuery.Limit"/> matching lines, oldest first.</summary>
    public static List<LogEntry> Newest(string stateDirectory, LogQuery query, CancellationToken cancellationToken = default)
    {
        var kept = new Queue<LogEntry>();
        foreach (var entry in Merge(stateDirectory, query, cancellationToken))
        {
            if (!query.Matches(entry))
            {
                continue;
            }

            kept.Enqueue(entry);
            if (kept.Count > query.Limit)
            {
                kept.Dequeue();
            }
        }

        return [.. kept];
    }

    /// <summary>Every stored line of the services and instances the query includes, in time order (not yet level- or grep-filtered).</summary>
    private static IEnumerable<LogEntry> Merge(string stateDirectory, LogQuery query, CancellationToken cancellationToken)
    {
        var sources = new List<IEnumerator<LogEntry>>();
        try
        {
            var heads = new PriorityQueue<int, (DateTimeOffset Time, int Source)>();
            foreach (var (service, instance, files) in Instances(stateDirectory, query))
            {
                var source = Read(service, instance, files, query).GetEnumerator();
                sources.Add(source);
                if (source.MoveNext())
                {
                    heads.Enqueue(sources.Count - 1, (source.Current.Time, sources.Count - 1));
                }
            }

            while (heads.TryDequeue(out var index, out _))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var source = sources[index];
                yield return source.Current;
                if (source.MoveNext())
                {
                    heads.Enqueue(index, (source.Current.Time, index));
                }
            }
        }
        finally
        {
            foreach (var source in sources)
            {
                source.Dispose();
            }
        }
    }

    private static IEnumerable<(string Service, string Instance, List<string> Files)> Instances(string stateDirectory, LogQuery query)
    {
        var root = LogPaths.Root(stateDirectory);
        if (!Directory.Exists(root))
        {
            yield break;
        }

        foreach (var serviceDirectory in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var service = Path.GetFileName(serviceDirectory);
            if (query.Service is not null && query.Service != service)
            {
                continue;
            }

            foreach (var current in Directory.EnumerateFiles(serviceDirectory, "*.log").Order(StringComparer.Ordinal))
            {
                var instance = Path.GetFileNameWithoutExtension(current);
                if (query.Includes(service, instance))
                {
                    yield return (service, instance, [.. RotatingLogWriter.Files(current)]);
                }
            }
        }
    }

    private static IEnumerable<LogEntry> Read(string service, string instance, List<string> files, LogQuery query)
    {
        foreach (var file in files)
        {
            FileStream stream;
            try
            {
                stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (FileNotFoundException)
            {
                continue; // rotated away or removed by retention between listing and reading
            }

            using (stream)
            {
                if (query.Since is { } since && LastStamp(stream) is { } last && last < since)
                {
                    continue;
                }

                stream.Position = 0;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                foreach (var text in Lines(reader))
                {
                    if (LogLine.Parse(instance, text) is not { } line || (query.Since is { } from && line.Time < from))
                    {
                        continue;
                    }

                    if (query.Until is { } until && line.Time >= until)
                    {
                        yield break; // stamps only grow within an instance
                    }

                    yield return LogEntry.From(service, line);
                }
            }
        }
    }

    /// <summary>
    /// The stored lines, split at LF only, as the collector wrote them: <see cref="StreamReader.ReadLine"/> would
    /// also split at a bare CR, and the text after it (a progress bar's last state, a forged line) would be lost.
    /// </summary>
    private static IEnumerable<string> Lines(StreamReader reader)
    {
        var buffer = new char[16 * 1024];
        var line = new StringBuilder();
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] == '\n')
                {
                    line.Append(buffer, start, i - start);
                    yield return line.ToString();
                    line.Clear();
                    start = i + 1;
                }
            }

            line.Append(buffer, start, read - start);
        }

        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }

    /// <summary>The stamp of a file's last complete line, read from its end; null when it cannot tell.</summary>
    private static DateTimeOffset? LastStamp(FileStream stream)
    {
        var length = stream.Length;
        var size = (int)Math.Min(length, TailProbeBytes);
        if (size == 0)
        {
            return null;
        }

        var buffer = new byte[size];
        stream.Position = length - size;
        stream.ReadExactly(buffer);
        var end = buffer.AsSpan().TrimEnd((byte)'\n');
        var start = end.LastIndexOf((byte)'\n') + 1;
        if (start == 0 && size < length)
        {
            return null; // one line longer than the probe: read the file
        }

        return LogLine.Parse("", Encoding.UTF8.GetString(end[start..]))?.Time;
    }
}
