using Microsoft.AspNetCore.Builder;

namespace Slipway.Server.Api;

/// <summary>
/// The most request body an endpoint reads; more is answered 413 before the endpoint runs (<see cref="BodyLimitMiddleware"/>).
/// Endpoints without one get <see cref="Default"/>.
/// </summary>
internal sealed record BodyLimit(long Bytes)
{
    /// <summary>Every JSON body but a manifest or a secret fits in 64 KiB many times over.</summary>
    public static BodyLimit Default { get; } = new(64 * 1024);

    /// <summary>A manifest for <c>apply</c>, or a secret value JSON-escaped (at most six bytes per byte of its 64 KiB).</summary>
    public static BodyLimit Large { get; } = new(1024 * 1024);

    public string Text => Bytes >= 1024 * 1024 ? $"{Bytes / (1024 * 1024)} MiB" : $"{Bytes / 1024} KiB";
}

/// <summary><c>.WithBodyLimit(BodyLimit.Large)</c> where an endpoint is mapped.</summary>
internal static class BodyLimitExtensions
{
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, BodyLimit limit)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(limit);
}
