namespace Slipway.Server.Api.Contracts;

/// <summary>The data of a stream's last event (<c>event: end</c>) when the daemon ends it: why.</summary>
internal sealed record StreamEnd(string Reason);
