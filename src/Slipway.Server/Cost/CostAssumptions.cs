using Slipway.Core.Primitives;

namespace Slipway.Server.Cost;

/// <summary>Figures used where neither the manifest nor the daemon has one; every use is reported as assumed.</summary>
internal sealed record CostAssumptions(double Cpu, ByteSize Memory, double RpsPer1kUsers, ByteSize BytesPerRequest, ByteSize State, ByteSize Backup);
