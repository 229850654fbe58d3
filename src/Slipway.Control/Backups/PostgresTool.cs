using System.Diagnostics;
using System.Text;

namespace Slipway.Control.Backups;

/// <summary>
/// Runs a PostgreSQL client or server tool as a child process. stdout and stdin are streams the caller
/// pipes (a dump is never held in memory); stderr is captured, bounded, for the backup's record.
/// Cancelling kills the whole process tree.
/// </summary>
/// <remarks>
/// Stand-in for the shared process runner (src/Slipway.Core/Processes, another branch): the surface is
/// one method taking a <see cref="ToolInvocation"/>, so swapping the implementation touches this file only.
/// </remarks>
internal static class PostgresTool
{
    /// <summary>Enough for any PostgreSQL error report; a tool that writes more is cut, keeping the end (the cause).</summary>
    private const int MaxStderrChars = 64 * 1024;

    public static bool IsRoot => Environment.UserName == "root";

    /// <param name="stdout">Reads the tool's stdout while it runs; null discards it.</param>
    /// <param name="stdin">Writes the tool's stdin, then the runner closes it; null gives an empty stdin.</param>
    public static async Task<ToolResult> RunAsync(
        ToolInvocation invocation,
        Func<Stream, CancellationToken, Task>? stdout = null,
        Func<Stream, CancellationToken, Task>? stdin = null,
        CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (invocation.RunAs is { } user && IsRoot)
        {
            info.FileName = "runuser";
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(user);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(invocation.Program);
        }
        else
        {
            info.FileName = invocation.Program;
        }

        foreach (var argument in invocation.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The tool sees only what we give it: no master key, token or PGPASSWORD from the daemon's environment.
        info.Environment.Clear();
        foreach (var (key, value) in Core.Processes.ProcessSpec.BaseEnvironment().Concat(invocation.Environment))
        {
            info.Environment[key] = value;
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new FileNotFoundException($"{Path.GetFileName(invocation.Program)} could not be started ({e.Message})", invocation.Program, e);
        }

        using var kill = cancellationToken.Register(() => Kill(process));
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
            // The consumer failed (disk full, bad decryption): the tool must not outlive the backup.
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        var stderr = await stderrTask.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return new ToolResult(process.ExitCode, stderr);
    }

    private static async Task WriteStdinAsync(Process process, Func<Stream, CancellationToken, Task>? stdin, CancellationToken cancellationToken)
    {
        var input = process.StandardInput.BaseStream;
        try
        {
            if (stdin is not null)
            {
                await stdin(input, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException) when (process.HasExited)
        {
            // The tool stopped reading (it failed); its exit code and stderr say why.
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

    private static void Kill(Process process)
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
