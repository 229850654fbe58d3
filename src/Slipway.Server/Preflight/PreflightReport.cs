namespace Slipway.Server.Preflight;

/// <summary>The findings of one preflight run; it passes when none is a fail (warnings and skips are told, not fatal).</summary>
internal sealed record PreflightReport(bool Passed, int Ok, int Warnings, int Failures, int Skipped, IReadOnlyList<PreflightFinding> Findings)
{
    public static PreflightReport Of(IReadOnlyList<PreflightFinding> findings)
    {
        int Count(PreflightStatus status) => findings.Count(f => f.Status == status);
        return new(Count(PreflightStatus.Fail) == 0, Count(PreflightStatus.Ok), Count(PreflightStatus.Warn), Count(PreflightStatus.Fail), Count(PreflightStatus.Skipped), findings);
    }

    /// <summary>"12 ok, 2 warnings, 1 failure, 1 skipped".</summary>
    public string Summary() =>
        $"{Ok} ok, {Warnings} warning{(Warnings == 1 ? "" : "s")}, {Failures} failure{(Failures == 1 ? "" : "s")}, {Skipped} skipped";
}
