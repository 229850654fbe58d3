namespace Slipway.Server.Api.Contracts;

/// <summary>A secret set: the services that use it, and those rolling-restarted because <c>restart=true</c> asked.</summary>
internal sealed record SecretSetResponse(string Name, IReadOnlyList<string> UsedBy, IReadOnlyList<string> Restarted);
