using System.ComponentModel.DataAnnotations;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>A token bucket per key: <c>{ rate: 10/s, burst: 20 }</c>, keyed by client address unless <see cref="Key"/> says otherwise.</summary>
internal sealed record RateLimitSpec : IValidatedSpec
{
    public const string HeaderKeyPrefix = "header:";

    /// <summary>The most a bucket may refill: beyond a million a second per key a limit protects nothing.</summary>
    public const double MaxPerSecond = 1_000_000;

    [Required]
    public Rate Rate { get; init; }

    /// <summary>Requests allowed at once above the rate; the rate's per-second count (at least 1) when absent.</summary>
    [Range(1, 1_000_000)]
    public int? Burst { get; init; }

    /// <summary><c>client-ip</c> (one bucket per client address), <c>route</c> (one for everyone) or <c>header:NAME</c>.</summary>
    public string Key { get; init; } = "client-ip";

    /// <summary>The header a <c>header:NAME</c> key names; null for the other keys.</summary>
    public string? KeyHeader => Key.StartsWith(HeaderKeyPrefix, StringComparison.Ordinal) ? Key[HeaderKeyPrefix.Length..] : null;

    public void Validate(SpecContext context)
    {
        if (Rate.PerSecond is <= 0 or > MaxPerSecond || !double.IsFinite(Rate.PerSecond))
        {
            context.Error("rate", $"must allow more than 0 and at most {MaxPerSecond:0} requests a second, like 10/s or 5/m (got {Rate})");
        }

        if (Key is not ("client-ip" or "route") && (KeyHeader is not { Length: > 0 } header || !header.All(IsTokenChar)))
        {
            context.Error("key", $"must be client-ip, route or header:NAME such as header:X-Api-Key (got {ScalarParsers.Quote(Key)})");
        }
    }

    /// <summary>RFC 9110 token characters: what a header name may hold.</summary>
    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
