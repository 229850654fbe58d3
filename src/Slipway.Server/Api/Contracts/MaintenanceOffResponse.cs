namespace Slipway.Server.Api.Contracts;

/// <summary><c>DELETE /api/v1/maintenance</c>: whether there was one to end, and whether the whole app still is in maintenance.</summary>
internal sealed record MaintenanceOffResponse(bool Ended, bool App);
