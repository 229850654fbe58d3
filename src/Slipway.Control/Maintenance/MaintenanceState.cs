using System.Collections.Immutable;

namespace Slipway.Control.Maintenance;

/// <summary>What is in maintenance: the whole app, some services, or nothing. Immutable, replaced whole.</summary>
internal sealed record MaintenanceState(MaintenanceWindow? App, ImmutableDictionary<string, MaintenanceWindow> Services)
{
    public static MaintenanceState None { get; } = new(null, ImmutableDictionary.Create<string, MaintenanceWindow>(StringComparer.Ordinal));

    /// <summary>The maintenance a service is under: its own, else the app's, else none.</summary>
    public MaintenanceWindow? For(string service) => Services.GetValueOrDefault(service) ?? App;
}
