namespace Slipway.Control.Telemetry;

/// <summary>
/// One metric family of a scrape: the name from its <c># TYPE</c> line (or the sample name when there was none),
/// its type (counter, gauge, histogram, summary or untyped), help text, and the samples that belong to it.
/// </summary>
internal sealed record ParsedFamily(string Name, string Type, string Help, IReadOnlyList<ParsedSample> Samples);
