using Slipway.Core.Manifest.Model;
using Slipway.Core.Processes;

namespace Slipway.Control.Probes;

/// <summary>A command (argument list, in the instance's working directory and environment) exits 0.</summary>
internal sealed class ExecProbe : IProbe
{
    private readonly ProcessRunner _runner;

    public ExecProbe(ProcessRunner runner) => _runner = runner;

    public string Name => "exec";

    public bool Handles(ProbeSpec spec) => spec.Exec is { Count: > 0 };

    public async Task<ProbeResult> CheckAsync(ProbeSpec spec, ProbeTarget target, CancellationToken cancellationToken)
    {
        var command = spec.Exec!;
        try
        {
            var result = await _runner.RunToolAsync(
                new ProcessSpec(command[0], [.. command.Skip(1)], target.Environment, target.WorkingDirectory), spec.Timeout, cancellationToken)
                .ConfigureAwait(false);
            if (result.TimedOut)
            {
                return ProbeResult.Fail($"{command[0]} did not finish within {Core.Primitives.DurationText.Format(spec.Timeout)}");
            }

            return result.ExitCode == 0
                ? ProbeResult.Pass($"{command[0]} exited 0")
                : ProbeResult.Fail($"{command[0]} exited {result.ExitCode}{Tail(result.Stderr)}");
        }
        catch (ProcessStartException e)
        {
            return ProbeResult.Fail(e.Message);
        }
    }

    private static string Tail(string stderr)
    {
        var text = stderr.Trim();
        return text.Length == 0 ? "" : ": " + (text.Length > 200 ? text[^200..] : text);
    }
}
