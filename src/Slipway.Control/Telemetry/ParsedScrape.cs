namespace Slipway.Control.Telemetry;

/// <summary>What <see cref="PrometheusTextParser"/> made of a body: the families, or the first error ("line 3: ...").</summary>
internal sealed record ParsedScrape(IReadOnlyList<ParsedFamily> Families, string? Error)
{
    public bool IsValid => Error is null;

    public int SampleCount => Families.Sum(f => f.Samples.Count);
}
