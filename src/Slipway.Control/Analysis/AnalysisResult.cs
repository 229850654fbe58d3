namespace Slipway.Control.Analysis;

/// <summary>The outcome of one analysis interval: the overall verdict and every check behind it.</summary>
internal sealed record AnalysisResult(AnalysisVerdict Verdict, IReadOnlyList<AnalysisCheck> Checks, long CanaryRequests, long StableRequests)
{
    /// <summary>The failed checks (or, with none, all checks) in one line for events and the CLI.</summary>
    public string Summary => string.Join("; ", (Verdict == AnalysisVerdict.Fail ? Checks.Where(c => c.Verdict == AnalysisVerdict.Fail) : Checks).Select(c => c.Detail));
}
