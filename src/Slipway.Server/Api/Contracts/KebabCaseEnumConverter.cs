using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slipway.Server.Api.Contracts;

/// <summary>
/// <typeparamref name="TEnum"/> as kebab-case words (<c>scaled-to-zero</c>, <c>needs-restart</c>), as the manifest
/// writes them. <see cref="ApiJsonContext"/> names one per enum on the wire; a test fails for an enum it misses.
/// </summary>
internal sealed class KebabCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
