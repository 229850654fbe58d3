using Slipway.Testing;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Slipway.DemoApp.Tests;

/// <summary>
/// One running demo-app.dll: its stdout parsed as JSON log lines, an HttpClient
/// pointed at it, and cleanup that kills it (and any process it reported) by pid.
/// Every wait takes a timeout and fails with the captured output.
/// </summary>
public sealed class DemoAppProcess : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly StringBuilder _stderr = new();
    private readonly List<int> _strays = [];
    private TaskCompletionSource _lineAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DemoAppProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Timeout };
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public HttpClient Http { get; }

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Starts the app with PORT set to a free port and only the given settings (no DEMO_* is inherited).</summary>
    public static DemoAppProcess Start(IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        var dll = BuildOutput.DemoApp;
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("DEMO_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("SLIPWAY_INSTANCE");
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var app = new DemoAppProcess(process, port);
        process.OutputDataReceived += (_, e) => app.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (app._gate)
            {
                app._stderr.AppendLine(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>
    /// Starts the app and waits for its "listening" line: from then on it accepts connections.
    /// A free port can be taken by someone else before the app binds it, so a bind failure is retried on a new port.
    /// </summary>
    public static async Task<DemoAppProcess> StartListeningAsync(IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        for (var attempt = 1; ; attempt++)
        {
            var app = Start(environment, args);
            try
            {
                await app.WaitForLogAsync("listening");
                return app;
            }
            catch (Exception) when (attempt < 3 && app.HasExited && app.Output().Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await app.DisposeAsync();
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Every stdout line so far, parsed; a line that is not a JSON object fails the test.</summary>
    public IReadOnlyList<JsonElement> Logs() => [.. Lines.Select(Parse)];

    public Task<JsonElement> WaitForLogAsync(string msg, TimeSpan? timeout = null) =>
        WaitForLogAsync(log => log.GetProperty("msg").GetString() == msg, $"a log line with msg '{msg}'", timeout);

    /// <summary>Waits for a matching log line; fails at once, with the output, if the process exits without one.</summary>
    public async Task<JsonElement> WaitForLogAsync(Func<JsonElement, bool> match, string what, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Timeout);
        // Completes only after stdout has been read to its end, so no line is still in flight.
        var exited = _process.WaitForExitAsync(deadline.Token);
        var seen = 0;
        while (true)
        {
            Task added;
            string[] fresh;
            lock (_gate)
            {
                fresh = [.. _lines.Skip(seen)];
                seen = _lines.Count;
                added = _lineAdded.Task;
            }

            foreach (var line in fresh)
            {
                var log = Parse(line);
                if (match(log))
                {
                    return log;
                }
            }

            if (exited.IsCompletedSuccessfully)
            {
                throw new InvalidOperationException($"demo-app exited with code {_process.ExitCode} before {what}.\n{Output()}");
            }

            try
            {
                await Task.WhenAny(added, exited).WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no {what} within {timeout ?? Timeout}.\n{Output()}");
            }
        }
    }

    /// <summary>Polls /info until at least <paramref name="requests"/> other requests are being handled.</summary>
    public Task WaitForInFlightAsync(int requests) =>
        Wait.UntilAsync(
            async () =>
            {
                using var info = JsonDocument.Parse(await Http.GetStringAsync("/info"));
                // The /info request counts itself.
                return info.RootElement.GetProperty("inFlight").GetInt32() - 1 >= requests;
            },
            $"{requests} requests in flight",
            (int)Timeout.TotalSeconds,
            Output);

    public void SendSigterm() => PosixSignals.Send(Pid, PosixSignals.SigTerm);

    /// <summary>SIGKILL, as a supervisor's last resort.</summary>
    public void Kill() => _process.Kill();

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout ?? Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"demo-app (pid {Pid}) still running after {timeout ?? Timeout}.\n{Output()}");
        }

        return _process.ExitCode;
    }

    /// <summary>Another process this test caused (a spawned child) for DisposeAsync to kill by pid.</summary>
    public void KillOnDispose(int pid)
    {
        lock (_gate)
        {
            _strays.Add(pid);
        }
    }

    public string Output()
    {
        lock (_gate)
        {
            return $"stdout:\n{string.Join('\n', _lines)}\nstderr:\n{_stderr}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Exited meanwhile, or unkillable: nothing more a test can do.
        }

        foreach (var pid in _strays)
        {
            try
            {
                using var stray = Process.GetProcessById(pid);
                stray.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Already gone.
            }
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        TaskCompletionSource added;
        lock (_gate)
        {
            _lines.Add(line);
            added = _lineAdded;
            _lineAdded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        added.SetResult();
    }

    private static JsonElement Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"stdout line is not a JSON object ({e.Message}): {line}");
        }
    }
}
