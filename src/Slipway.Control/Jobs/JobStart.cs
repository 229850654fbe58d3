using Slipway.Control.State;

namespace Slipway.Control.Jobs;

/// <summary>What asking for a run got: the run started (<see cref="Run"/>), or why not (<see cref="Refusal"/>).</summary>
internal sealed record JobStart(JobRunRecord? Run, string? Refusal)
{
    public static JobStart Started(JobRunRecord run) => new(run, null);

    public static JobStart Refused(string why) => new(null, why);
}
