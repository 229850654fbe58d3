namespace Slipway.Server.Api.Contracts;

/// <summary><c>PUT /api/v1/maintenance</c>.</summary>
/// <param name="Service">One service; the whole app when null.</param>
/// <param name="Hold">How long a request waits for the maintenance to end, such as 30s (at most 5m); 0 when absent.</param>
/// <param name="Page">The 503's body; a one-line default when absent (at most 64 KB).</param>
/// <param name="PageType"><c>text/plain; charset=utf-8</c> (default) or <c>text/html; charset=utf-8</c>.</param>
internal sealed record MaintenanceRequest(string? Service = null, string? Hold = null, string? Page = null, string? PageType = null);
