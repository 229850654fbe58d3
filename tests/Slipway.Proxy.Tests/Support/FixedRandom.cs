namespace Slipway.Proxy.Tests.Support;

/// <summary>Randomness a test decides: returns the given values in turn (each reduced modulo the bound).</summary>
internal sealed class FixedRandom(params int[] values) : Random
{
    private int _next;

    public override int Next(int maxValue)
    {
        var value = values[_next++ % values.Length];
        return maxValue <= 0 ? 0 : value % maxValue;
    }

    public override int Next() => Next(int.MaxValue);

    public override int Next(int minValue, int maxValue) => minValue + Next(maxValue - minValue);

    public override double NextDouble() => Next(1000) / 1000.0;
}
