namespace Slipway.Testing;

/// <summary>Measures what code allocates on the calling thread, for the tests that hold a path to zero garbage.</summary>
public static class Allocations
{
    /// <summary>
    /// The fewest bytes the calling thread allocated over a few runs of <paramref name="run"/>. A one-off by the
    /// runtime (a method tiered up and compiled mid-loop, a type loaded: seen as one 8 KB allocation quantum while
    /// the whole suite runs in parallel) lands in one run; code that allocates per call allocates in every run.
    /// </summary>
    public static long Fewest(Action run, int runs = 3)
    {
        var fewest = long.MaxValue;
        for (var i = 0; i < runs && fewest > 0; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            run();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return fewest;
    }
}
