using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Routing;

namespace Slipway.Proxy.Edge;

/// <summary>
/// A route's rate limit: one token per request from the bucket of the client address, of a header's value (the
/// client address when the request lacks it, so leaving the header out is no way around the limit), or of the
/// whole route. Refused: 429 with <c>Retry-After</c> and the IETF <c>RateLimit-Policy</c>/<c>RateLimit</c> fields.
/// </summary>
internal sealed class RateLimitStep : IEdgeStep
{
    // Separate seeds per kind of key, so a header value can never share a bucket with an address by construction.
    private static readonly long AddressSeed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
    private static readonly long HeaderSeed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));

    private readonly EdgeAnswer _answer;

    public RateLimitStep(string route, RateLimitModel model, RateLimiter limiter)
    {
        Model = model;
        Limiter = limiter;
        // draft-ietf-httpapi-ratelimit-headers-10: quota q per window w; a bucket of `burst` refills in burst / rate seconds.
        var window = Math.Max(1, (long)Math.Ceiling(model.Burst / model.PerSecond));
        var name = route.Replace("\"", "", StringComparison.Ordinal);
        _answer = new EdgeAnswer(StatusCodes.Status429TooManyRequests, EdgeRefusal.RateLimited, "429 too many requests, retry later\n")
        {
            RateLimit = (string.Create(CultureInfo.InvariantCulture, $"\"{name}\";q={model.Burst};w={window}"), name),
        };
    }

    public RateLimitModel Model { get; }

    /// <summary>The buckets; they outlive routing tables while the route's limit stays the same.</summary>
    public RateLimiter Limiter { get; }

    public EdgeVerdict Check(scoped in EdgeRequest request)
    {
        if (Limiter.TryTake(KeyOf(in request), request.Timestamp, out var retryAfter, out _))
        {
            return default;
        }

        return EdgeVerdict.Refuse(_answer, Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)));
    }

    private ulong KeyOf(scoped in EdgeRequest request)
    {
        if (Model.Key == RateLimitKey.Route)
        {
            return 1;
        }

        if (Model.Key == RateLimitKey.Header && request.Headers.First(Model.Header!) is { Length: > 0 } value)
        {
            return XxHash3.HashToUInt64(MemoryMarshal.AsBytes(value.AsSpan()), HeaderSeed);
        }

        Span<byte> address = stackalloc byte[16];
        request.Client.TryWriteBytes(address, out var written);
        return XxHash3.HashToUInt64(address[..written], AddressSeed);
    }
}
