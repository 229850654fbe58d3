using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>One operation as the OpenAPI document describes it.</summary>
internal sealed record ApiOperation(string Method, string Path, ApiRole? Role, string Summary, string? Body = null);
