using System.Text.Json.Serialization;

namespace Slipway.Control.Notifications;

/// <summary>Source-generated JSON for the silences file: camelCase, indented so a person can read it.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(List<Silence>))]
internal sealed partial class SilenceJsonContext : JsonSerializerContext;
