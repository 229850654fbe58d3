namespace Slipway.Core.Cgroups;

/// <summary>What <see cref="CgroupDetection"/> found: a driver for the instances' cgroups, or none, and in either case what to tell the operator once.</summary>
/// <param name="Problems">What stood in the way of a controller (empty when all is enforced).</param>
internal sealed record CgroupSetup(CgroupDriver? Driver, IReadOnlyList<string> Problems)
{
    public static CgroupSetup Unavailable(string why) => new(null, [why]);
}
