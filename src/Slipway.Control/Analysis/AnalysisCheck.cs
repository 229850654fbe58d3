namespace Slipway.Control.Analysis;

/// <summary>One check of an analysis run with the numbers that decided it, e.g. "error-rate 4.2% &gt; 1%".</summary>
/// <param name="Name">error-rate, vs-stable, error-rate-vs-stable, p95, p99, latency-vs-stable, latency (not judged yet), requests.</param>
/// <param name="Detail">A sentence an operator can act on, with the figures.</param>
internal sealed record AnalysisCheck(string Name, AnalysisVerdict Verdict, string Detail);
