using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Slipway.Core.Primitives;

namespace Slipway.Control.Logs;

/// <summary>
/// Tails every attached instance's raw output files and writes timestamped lines to size-bounded rotating
/// files (see README.md). One loop for all instances.
/// </summary>
internal sealed class LogCollector : IAsyncDisposable
{
    private const int MaxLineBytes = 64 * 1024;

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LogOptions _options;
    private readonly ConcurrentDictionary<string, Source> _sources = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _shipLock = new();
    private readonly Task _loop;
    private long _nextRetention;

    public LogCollector(TimeProvider time, ILogger logger, LogOptions options)
    {
        _time = time;
        _logger = logger;
        _options = options;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>
    /// Raised with each batch of lines once it is stored, on the collector's loop: what a live follow listens to.
    /// Handlers must be quick and must not throw (hand the batch to a channel).
    /// </summary>
    public event Action<IReadOnlyList<LogEntry>>? Written;

    public void Attach(string instance, string stdoutRaw, string stderrRaw, string stampedPath)
    {
        _sources[instance] = new Source(instance, LogPaths.ServiceOf(stampedPath),
            [new RawStream("stdout", stdoutRaw), new RawStream("stderr", stderrRaw)],
            new RotatingLogWriter(stampedPath, _options.MaxFileBytes, _options.KeepFiles));
    }

    /// <summary>Ships what is left (a last line without newline included) and stops following the instance.</summary>
    public void Detach(string instance)
    {
        if (_sources.TryRemove(instance, out var source))
        {
            Ship(source, final: true);
        }
    }

    /// <summary>Ships everything written so far; for tests and shutdown.</summary>
    public void Flush()
    {
        foreach (var source in _sources.Values)
        {
            Ship(source, final: false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        Flush();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            Flush();
            ApplyRetention();
        }
    }

    private void ApplyRetention()
    {
        var now = _time.GetTimestamp();
        if (_options.RetentionRoot is not { } root || now < _nextRetention)
        {
            return;
        }

        _nextRetention = now + (long)(_options.RetentionInterval.TotalSeconds * _time.TimestampFrequency);
        try
        {
            var deleted = LogRetention.Apply(root, _time.GetUtcNow(), _options.MaxAge, _options.MaxTotalBytes, _sources.Keys.ToHashSet(StringComparer.Ordinal));
            if (deleted > 0)
            {
                LogsLog.RetentionDeleted(_logger, deleted);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogsLog.RetentionFailed(_logger, e.Message);
        }
    }

    private void Ship(Source source, bool final)
    {
        lock (_shipLock)
        {
            foreach (var raw in source.Streams)
            {
                var lines = new List<LogLine>();
                try
                {
                    ReadNew(raw, source.Instance, lines, final);
                }
                catch (IOException)
                {
                    continue; // the raw file is gone or unreadable for now; next tick
                }

                if (lines.Count == 0)
                {
                    continue;
                }

                var stored = true;
                try
                {
                    source.Writer.Append([.. lines.Select(l => l.Format())]);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    stored = false;
                    if (_options.Disk is { } disk && State.StateDisk.IsNoSpace(e))
                    {
                        disk.Failed(e); // said once, for every writer
                    }
                    else
                    {
                        LogsLog.Dropped(_logger, source.Instance, lines.Count, e.Message);
                    }
                }

                SaveOffset(raw);
                if (stored && Written is { } written)
                {
                    // Followers see what a search would find: dropped lines are dropped for them too.
                    written([.. lines.Select(l => LogEntry.From(source.Service, l))]);
                }
            }
        }
    }

    private void ReadNew(RawStream raw, string instance, List<LogLine> lines, bool final)
    {
        if (!File.Exists(raw.Path))
        {
            return;
        }

        raw.Offset ??= LoadOffset(raw);
        using var stream = new FileStream(raw.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < raw.Offset)
        {
            raw.Offset = 0; // truncated by someone else
        }

        stream.Seek(raw.Offset.Value, SeekOrigin.Begin);
        var buffer = new byte[stream.Length - raw.Offset.Value];
        stream.ReadExactly(buffer);
        var now = _time.GetUtcNow();
        var start = 0;
        for (var i = 0; i < buffer.Length; i++)
        {
            if (buffer[i] == (byte)'\n' || i - start >= MaxLineBytes)
            {
                lines.Add(Stamp(now, instance, raw.Name, buffer.AsSpan(start, i - start)));
                start = i + 1;
            }
        }

        if (final && start < buffer.Length)
        {
            lines.Add(Stamp(now, instance, raw.Name, buffer.AsSpan(start)));
            start = buffer.Length;
        }

        raw.Offset += start;
        if (raw.Offset == stream.Length && stream.Length > _options.MaxRawBytes)
        {
            stream.SetLength(0);
            raw.Offset = 0;
        }
    }

    private static LogLine Stamp(DateTimeOffset now, string instance, string stream, ReadOnlySpan<byte> line) =>
        new(now, instance, stream, Encoding.UTF8.GetString(line).TrimEnd('\r'));

    private static long LoadOffset(RawStream raw)
    {
        try
        {
            return long.Parse(File.ReadAllText(raw.Path + ".offset").Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or OverflowException)
        {
            return 0;
        }
    }

    private static void SaveOffset(RawStream raw)
    {
        try
        {
            PrivateFile.Write(raw.Path + ".offset", raw.Offset?.ToString(CultureInfo.InvariantCulture) ?? "0");
        }
        catch (IOException)
        {
            // Disk full: at worst a restarted daemon repeats some lines.
        }
    }

    private sealed record Source(string Instance, string Service, RawStream[] Streams, RotatingLogWriter Writer);

    private sealed class RawStream(string name, string path)
    {
        public string Name { get; } = name;

        public string Path { get; } = path;

        public long? Offset { get; set; }
    }
}
