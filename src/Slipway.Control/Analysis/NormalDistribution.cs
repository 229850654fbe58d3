namespace Slipway.Control.Analysis;

/// <summary>The standard normal upper tail, for the z statistics of the tests in this folder.</summary>
internal static class NormalDistribution
{
    // Highest power first: -1.26551223 + t·(1.00002368 + t·(0.37409196 + …)).
    private static readonly double[] Coefficients =
    [
        0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418, 0.37409196, 1.00002368, -1.26551223,
    ];

    /// <summary>P(Z &gt; z) for a standard normal Z.</summary>
    public static double UpperTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2));

    /// <summary>
    /// The complementary error function by the Chebyshev fit of Numerical Recipes (erfcc), relative error below
    /// 1.2e-7 everywhere: plenty for p-values compared with 0.01.
    /// </summary>
    public static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + (0.5 * z));
        var polynomial = 0.0;
        foreach (var c in Coefficients)
        {
            polynomial = (polynomial * t) + c;
        }

        var r = t * Math.Exp((-z * z) + polynomial);
        return x >= 0 ? r : 2 - r;
    }
}
