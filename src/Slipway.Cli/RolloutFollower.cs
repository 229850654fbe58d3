using Slipway.Control.Runtime;
using Slipway.Server.Api;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli;

/// <summary>
/// What <c>--wait</c> makes of each poll of a service while one of its revisions rolls out: the lines to print and,
/// once the rollout is over, the exit code. A blue-green revision is promoted before its warm period, during which it
/// is still analysed and can be rolled back in one switch, so the follower waits that period out too.
/// </summary>
internal sealed class RolloutFollower
{
    private readonly string _service;
    private readonly string _revision;
    private readonly List<(bool Error, string Text)> _output = [];
    private string? _lastLine;
    private bool _promoted;

    public RolloutFollower(string service, string revision)
    {
        _service = service;
        _revision = revision;
    }

    /// <summary>Lines for the last <see cref="Next"/>; <c>Error</c> ones go to standard error.</summary>
    public IReadOnlyList<(bool Error, string Text)> Output => _output;

    /// <summary>Reads one poll of <c>GET /api/v1/services/NAME</c>; returns the exit code once the rollout is over, else null.</summary>
    public int? Next(ServiceResponse service)
    {
        _output.Clear();
        if (service.Rollout is not { } rollout)
        {
            return _promoted
                ? Done(ExitCodes.Success, false, $"{_service}: the daemon no longer reports revision {_revision}'s warm period (restarted?); it was promoted, see `slipway history {_service}`")
                : Done(ExitCodes.Failed, true, $"slipway: the daemon no longer reports the rollout of {_service} (restarted?); see `slipway history {_service}`");
        }

        var revision = rollout.Revision;
        if (revision != _revision)
        {
            return _promoted
                ? Done(ExitCodes.Success, false, $"{_service}: revision {_revision} was promoted; revision {revision} replaced it during its warm period")
                : Done(ExitCodes.Failed, true, $"slipway: revision {_revision} of {_service} was replaced by revision {revision}");
        }

        var line = RolloutProgress.Line(rollout);
        if (line != _lastLine)
        {
            _output.Add((false, line));
            _lastLine = line;
        }

        if (rollout.Outcome is not { } outcome)
        {
            return null;
        }

        var message = $"{_service}: revision {_revision} {ApiJson.Word(outcome)}: {rollout.Message ?? "-"}";
        if (outcome != RevisionOutcome.Promoted)
        {
            return Done(ExitCodes.Failed, true, message);
        }

        var warm = rollout.Phase == RolloutPhase.Warm;
        if (!_promoted)
        {
            _output.Add((false, message));
            _promoted = true;
            if (warm)
            {
                _output.Add((false, $"{_service}: following the warm period (Ctrl-C stops following, not the rollout): revision {_revision} is still analysed, and the old revision takes all traffic back if it fails"));
            }
        }

        return warm ? null : ExitCodes.Success;
    }

    private int Done(int exitCode, bool error, string text)
    {
        _output.Add((error, text));
        return exitCode;
    }
}
