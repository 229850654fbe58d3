namespace Slipway.Control.Analysis;

internal enum AnalysisVerdict
{
    /// <summary>Not enough requests yet to judge; neither counts toward promotion nor toward rollback.</summary>
    Inconclusive,
    Pass,
    Fail,
}
