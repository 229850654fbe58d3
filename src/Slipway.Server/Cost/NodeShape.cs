using Slipway.Core.Primitives;

namespace Slipway.Server.Cost;

/// <summary>A machine a Kubernetes node may be: its cores, memory, and hourly price.</summary>
internal sealed record NodeShape(string Name, double Cpu, ByteSize Memory, double Hourly);
