using System.Diagnostics;
using System.Text;

namespace Slipway.Core.Processes;

// The runner is the one place allowed to use System.Diagnostics.Process (BannedSymbols.txt bans it everywhere else).
#pragma warning disable RS0030

/// <summary>Short-lived tools: hooks, exec probes, PostgreSQL's client and server tools.</summary>
internal sealed partial class ProcessRunner
{
    /// <summary>Enough for any tool's error report; a tool that writes more is cut, keeping the end (where the cause is).</summary>
    private const int MaxStderrChars = 64 * 1024;

    /// <summary>Runs a short-lived tool to completion and returns what it printed.</summary>
    /// <exception cref="ProcessStartException">The tool could not be started.</exception>
    public async Task<ToolResult> RunToolAsync(ProcessSpec spec, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var stdout = "";
        var result = await RunAsync(
            spec,
            timeout,
            async (output, ct) =>
            {
                using var reader = new StreamReader(output, Encoding.UTF8);
                stdout = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
            },
            stdin: null,
            cancellationToken).ConfigureAwait(false);
        return result with { Stdout = stdout };
    }

    /// <summary>
    /// Runs a tool whose stdout and stdin the caller streams while it runs (a database dump is never held in memory);
    /// <see cref="ToolResult.Stdout"/> is empty. There is no timeout: the caller's token ends it.
    /// </summary>
    /// <param name="stdout">Reads the tool's stdout while it runs; null discards it.</param>
    /// <param name="stdin">Writes the tool's stdin, then the runner closes it; null gives an empty stdin.</param>
    /// <exception cref="ProcessStartException">The tool could not be started.</exception>
    public Task<ToolResult> RunStreamingAsync(
        ProcessSpec spec,
        Func<Stream, CancellationToken, Task>? stdout,
        Func<Stream, CancellationToken, Task>? stdin,
        CancellationToken cancellationToken = default) =>
        RunAsync(spec, Timeout.InfiniteTimeSpan, stdout, stdin, cancellationToken);

    private async Task<ToolResult> RunAsync(
        ProcessSpec spec,
        TimeSpan timeout,
        Func<Stream, CancellationToken, Task>? stdout,
        Func<Stream, CancellationToken, Task>? stdin,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!Directory.Exists(spec.WorkingDirectory))
        {
            throw new ProcessStartException($"working directory {spec.WorkingDirectory} does not exist");
        }

        using var process = Launch(spec);
        var timedOut = 0;
        using var timeoutSource = new CancellationTokenSource(timeout, _time);
        using var onTimeout = timeoutSource.Token.Register(() =>
        {
            if (!process.HasExited)
            {
                Interlocked.Exchange(ref timedOut, 1);
                KillTree(process);
            }
        });
        using var onCancel = cancellationToken.Register(() => KillTree(process));

        // A killed tree closes the pipes, so the readers end on their own; they only see the caller's token.
        var stderrTask = ReadBoundedAsync(process.StandardError);
        var stdoutTask = stdout is null
            ? process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, cancellationToken)
            : stdout(process.StandardOutput.BaseStream, cancellationToken);
        var stdinTask = WriteStdinAsync(process, stdin, cancellationToken);
        try
        {
            await Task.WhenAll(stdoutTask, stdinTask).ConfigureAwait(false);
        }
        catch
        {
            // The consumer failed (disk full, bad decryption) or the caller cancelled: the tool must not outlive it.
            KillTree(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        var stderr = await stderrTask.ConfigureAwait(false);

        // The pipes' last reads may have completed inline on the socket engine's thread (the daemon sets inline
        // completions): the caller goes on from the thread pool, so a blocking call after a tool (a file system call,
        // an fsync) holds up a pool worker rather than that thread and every socket it serves.
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return new ToolResult(process.ExitCode, "", stderr, Volatile.Read(ref timedOut) == 1);
    }

    private static Process Launch(ProcessSpec spec)
    {
        var (program, _, arguments, environment) = Prepare(spec);
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in arguments)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Clear();
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        try
        {
            return Process.Start(info) ?? throw new ProcessStartException($"cannot start {spec.FileName}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ProcessStartException($"cannot start {spec.FileName}: {e.Message}", e);
        }
    }

    private async Task WriteStdinAsync(Process process, Func<Stream, CancellationToken, Task>? stdin, CancellationToken cancellationToken)
    {
        var input = process.StandardInput.BaseStream;
        try
        {
            if (stdin is not null)
            {
                await stdin(input, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            // The tool stopped reading (it failed); its exit code and stderr say why. The pipe breaks a moment before
            // the exit can be seen, so allow that moment; an input that failed while the tool still reads is rethrown.
            var exit = process.WaitForExitAsync(cancellationToken);
            if (await Task.WhenAny(exit, Task.Delay(TimeSpan.FromSeconds(5), _time, cancellationToken)).ConfigureAwait(false) != exit)
            {
                throw;
            }
        }
        finally
        {
            try
            {
                await input.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Broken pipe on close: same as above.
            }
        }
    }

    private static async Task<string> ReadBoundedAsync(StreamReader reader)
    {
        var text = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > MaxStderrChars)
            {
                text.Remove(0, text.Length - MaxStderrChars);
            }
        }

        return text.ToString();
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
