using Slipway.Control.Maintenance;

namespace Slipway.Server.Api.Contracts;

/// <summary>What is in maintenance: the whole app, and services on their own.</summary>
internal sealed record MaintenanceStateResponse(MaintenanceResponse? App, IReadOnlyList<MaintenanceResponse> Services)
{
    public static MaintenanceStateResponse Of(MaintenanceState state) =>
        new(state.App is { } app ? MaintenanceResponse.Of(app) : null, [.. state.Services.Values.OrderBy(w => w.Service, StringComparer.Ordinal).Select(MaintenanceResponse.Of)]);
}
