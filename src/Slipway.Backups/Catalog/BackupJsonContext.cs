using System.Text.Json.Serialization;

namespace Slipway.Backups.Catalog;

/// <summary>Source-generated JSON for backup records: no reflection, stable camelCase names, enums as words.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BackupRecord))]
internal sealed partial class BackupJsonContext : JsonSerializerContext;
