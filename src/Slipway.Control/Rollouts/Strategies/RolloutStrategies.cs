using Slipway.Control.Runtime;

namespace Slipway.Control.Rollouts.Strategies;

/// <summary>Every strategy, by name: the three the manifest's <c>deploy.strategy</c> names, and the rollback's own.</summary>
internal static class RolloutStrategies
{
    private static readonly Dictionary<RolloutStrategy, IRolloutStrategy> ByName = new IRolloutStrategy[]
    {
        new RollingStrategy(),
        new BlueGreenStrategy(),
        new CanaryStrategy(),
        new RollbackStrategy(),
    }.ToDictionary(s => s.Name);

    public static IRolloutStrategy For(RolloutStrategy name) => ByName[name];
}
