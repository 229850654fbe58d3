using Slipway.Core.Processes;
using Slipway.Testing;

namespace Slipway.Core.Tests.Processes;

/// <summary>
/// <see cref="ProcessRunner.RunStreamingAsync"/> against real processes: what the backups pipe through pg_dump,
/// pg_restore and tar. Every wait is bounded.
/// </summary>
public sealed class ProcessRunnerStreamingTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();
    private readonly ProcessRunner _runner = new(TimeProvider.System);

    public void Dispose() => _dir.Dispose();

    private ProcessSpec Spec(params string[] command) =>
        new(command[0], command[1..], ProcessSpec.BaseEnvironment(), _dir.Path);

    [Fact]
    public async Task RunStreaming_StdinAndStdout_PipedThroughWithoutCapture()
    {
        var input = Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray();
        using var output = new MemoryStream();

        var result = await _runner.RunStreamingAsync(
            Spec("cat"),
            stdout: (stream, ct) => stream.CopyToAsync(output, ct),
            stdin: (stream, ct) => stream.WriteAsync(input, ct).AsTask()).WaitAsync(Bound);

        Assert.True(result.IsSuccess, result.Stderr);
        Assert.Equal(input, output.ToArray());
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task RunStreaming_ToolFails_ExitCodeAndLastErrorLine()
    {
        var result = await _runner.RunStreamingAsync(Spec("sh", "-c", "echo first >&2; echo 'the cause' >&2; exit 3"), null, null).WaitAsync(Bound);

        Assert.Equal((3, false, "the cause"), (result.ExitCode, result.IsSuccess, result.LastErrorLine));
    }

    [Fact]
    public async Task RunStreaming_ToolStopsReadingStdin_ItsExitIsTheResult()
    {
        var result = await _runner.RunStreamingAsync(
            Spec("sh", "-c", "exit 4"),
            stdout: null,
            stdin: async (stream, ct) =>
            {
                var chunk = new byte[1 << 16];
                for (var i = 0; i < 1000; i++)
                {
                    await stream.WriteAsync(chunk, ct);
                }
            }).WaitAsync(Bound);

        Assert.Equal(4, result.ExitCode);
    }

    [Fact]
    public async Task RunStreaming_ConsumerFails_ToolKilledAndTheErrorRethrown()
    {
        var pidFile = _dir.Combine("pid");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => _runner.RunStreamingAsync(
            Spec("sh", "-c", $"echo $$ > {pidFile}; echo ready; exec sleep 60"),
            stdout: async (stream, ct) =>
            {
                using var reader = new StreamReader(stream);
                await reader.ReadLineAsync(ct);
                throw new InvalidDataException("disk full");
            },
            stdin: null).WaitAsync(Bound));

        Assert.Equal("disk full", error.Message);
        Assert.False(Directory.Exists($"/proc/{(await File.ReadAllTextAsync(pidFile)).Trim()}"), "the tool outlived its consumer");
    }

    [Fact]
    public async Task RunStreaming_Cancelled_ToolKilledAndCancellationThrown()
    {
        using var cancel = new CancellationTokenSource();
        var pidFile = _dir.Combine("pid");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _runner.RunStreamingAsync(
            Spec("sh", "-c", $"echo $$ > {pidFile}; echo ready; exec sleep 60"),
            stdout: async (stream, ct) =>
            {
                using var reader = new StreamReader(stream);
                await reader.ReadLineAsync(ct);
                await cancel.CancelAsync();
                await reader.ReadToEndAsync(ct);
            },
            stdin: null,
            cancel.Token).WaitAsync(Bound));

        Assert.False(Directory.Exists($"/proc/{(await File.ReadAllTextAsync(pidFile)).Trim()}"), "the tool outlived the cancellation");
    }

    [Fact]
    public async Task RunStreaming_StderrFlood_KeepsTheEnd()
    {
        var result = await _runner.RunStreamingAsync(
            Spec("sh", "-c", "head -c 200000 /dev/zero | tr '\\0' x >&2; echo >&2; echo 'the cause' >&2; exit 1"), null, null).WaitAsync(Bound);

        Assert.Equal(64 * 1024, result.Stderr.Length);
        Assert.EndsWith("x\nthe cause\n", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("the cause", result.LastErrorLine);
    }
}
