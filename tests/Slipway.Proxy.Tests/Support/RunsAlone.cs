namespace Slipway.Proxy.Tests.Support;

/// <summary>
/// Test classes that measure the whole process (allocation counters) or load it heavily: they run alone, so
/// neither disturbs the other nor the classes that run in parallel.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "runs alone";
}
