namespace Slipway.Server.Api.Contracts;

/// <summary>A scale done: how many replicas there were and are now asked for.</summary>
internal sealed record ScaleResponse(string Service, int Before, int Replicas);
