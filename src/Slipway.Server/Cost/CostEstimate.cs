namespace Slipway.Server.Cost;

/// <summary>The app's monthly cost at one scale: as it runs now (<see cref="Users"/> null), or at a number of users.</summary>
/// <param name="Scale">As asked: <c>now</c>, <c>1k</c>, <c>10k</c>, <c>100k</c>.</param>
internal sealed record CostEstimate(string Scale, long? Users, IReadOnlyList<ServiceCost> Services, IReadOnlyList<StorageCost> Storage, double Total, KubernetesCost Kubernetes);
