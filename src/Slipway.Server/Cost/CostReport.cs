namespace Slipway.Server.Cost;

/// <summary>What <c>slipway cost</c> prints: the price table it used (named, dated) and one estimate per scale.</summary>
/// <param name="Measured">Whether a daemon answered with measurements; when not, every figure is from the manifest or assumed.</param>
internal sealed record CostReport(string App, string Prices, string PriceSource, string PriceDate, string Currency, bool Measured, IReadOnlyList<CostEstimate> Estimates);
