using System.Text.Json.Serialization;

namespace Slipway.Control.Maintenance;

/// <summary>Source-generated JSON for <c>maintenance.json</c>: camelCase, indented so a person can read it.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(List<MaintenanceWindow>))]
internal sealed partial class MaintenanceJsonContext : JsonSerializerContext;
