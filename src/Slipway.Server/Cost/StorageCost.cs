namespace Slipway.Server.Cost;

/// <summary>One thing kept on disk or in object storage: how much, at what price class, and on what basis.</summary>
/// <param name="Class"><c>disk</c> or <c>object</c>.</param>
internal sealed record StorageCost(string Name, double Gb, string Class, double Monthly, bool Measured, string Basis);
