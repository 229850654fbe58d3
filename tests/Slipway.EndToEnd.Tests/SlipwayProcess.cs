using System.Diagnostics;
using System.Text;
using Slipway.Testing;

namespace Slipway.EndToEnd.Tests;

/// <summary>`dotnet slipway.dll ARGS` as a real child process, its output collected as it comes.</summary>
internal sealed class SlipwayProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();
    private readonly string _verb;
    private bool _stopped;

    public SlipwayProcess(string workingDirectory, params string[] args)
        : this(workingDirectory, new SlipwayProcessOptions(), args)
    {
    }

    public SlipwayProcess(string workingDirectory, SlipwayProcessOptions options, params string[] args)
    {
        _verb = string.Join(' ', args.Take(3));
        List<string> command = ["dotnet", BuildOutput.File("src", "Slipway.Cli", "slipway.dll"), .. args];
        if (options.Umask is { } umask)
        {
            // The shell sets the umask, then becomes the command (exec): the pid stays the daemon's.
            command = ["sh", "-c", $"umask {umask} && exec \"$@\"", "sh", .. command];
        }

        if (options.User is { } uid)
        {
            command = ["setpriv", $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--", .. command];
        }

        var info = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // never a terminal: a verb that would ask a person refuses instead
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in options.Environment)
        {
            info.Environment[name] = value;
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Append(_out, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_err, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    /// <summary>Sends <paramref name="text"/> on standard input, then closes it (what `printf %s … |` gives a command).</summary>
    public void Input(string text)
    {
        _process.StandardInput.Write(text);
        _process.StandardInput.Close();
    }

    public string Output
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_err)
            {
                return _err.ToString();
            }
        }
    }

    public async Task<int> WaitForExitAsync(int seconds = 60)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(seconds));
        }
        catch (TimeoutException)
        {
            // What it said so far is what tells a hang from a slow machine.
            throw new TimeoutException($"slipway {_verb} … still running after {seconds}s; its output so far:\n{Output}\nstderr:\n{Error}");
        }

        _process.WaitForExit(); // drains the output readers
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Waits (bounded) for <paramref name="condition"/>, giving up at once if this process exits; a failure carries its
    /// output. What the condition polls (a database the daemon runs, the state store, a request) may fail for a moment:
    /// a look that throws is taken again until the deadline, which then names the last error.
    /// </summary>
    public Task UntilAsync(Func<bool> condition, string what, int seconds = 60) => UntilAsync(() => Task.FromResult(condition()), what, seconds);

    /// <inheritdoc cref="UntilAsync(Func{bool}, string, int)"/>
    public Task UntilAsync(Func<Task<bool>> condition, string what, int seconds = 60) =>
        Wait.UntilPastErrorsAsync(condition, what, seconds, () => $"output:\n{Output}\n{Error}", () => HasExited ? "slipway exited" : null);

    public void Signal(int signal) => Native.kill(_process.Id, signal);

    /// <summary>Asks the daemon to stop (SIGTERM: drain, then stop its instances), waits up to 30 s, then kills what is left.</summary>
    /// <summary>SIGTERM, up to 30 s to exit, then disposal (which kills). Stopping twice is a no-op.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (!HasExited)
        {
            Signal(Native.SigTerm);
            try
            {
                await WaitForExitAsync(30);
            }
            catch (TimeoutException)
            {
                // Killed by Dispose.
            }
        }

        Dispose();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is not null)
        {
            lock (builder)
            {
                builder.Append(line).Append('\n');
            }
        }
    }
}
