namespace Slipway.Server.Api.Contracts;

/// <summary>A rolling restart done: the instances that did not become ready in time (empty when all did).</summary>
internal sealed record RestartResponse(string Service, IReadOnlyList<string> NotReady);
