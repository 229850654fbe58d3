using Slipway.Control.Analysis;

namespace Slipway.Server.Api.Contracts;

/// <summary>One analysis interval of a rollout: the verdict, the failed checks in one line, the request counts it judged.</summary>
internal sealed record AnalysisResponse(AnalysisVerdict Verdict, string Summary, long CanaryRequests, long StableRequests, IReadOnlyList<AnalysisCheck> Checks)
{
    public static AnalysisResponse Of(AnalysisResult a) => new(a.Verdict, a.Summary, a.CanaryRequests, a.StableRequests, a.Checks);
}
