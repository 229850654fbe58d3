namespace Slipway.Proxy.Tls.Acme;

/// <summary>
/// When to ask the CA again after a failed order: 5 minutes, doubling per failure up to a day (a CA counts failed
/// validations per host and hour), never sooner than its Retry-After, and at least an hour after a rateLimited answer
/// that gave none.
/// </summary>
internal static class AcmeBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    public static readonly TimeSpan RateLimited = TimeSpan.FromHours(1);

    /// <param name="failures">Failures in a row, this one included (1 or more).</param>
    public static TimeSpan After(int failures, TimeSpan? retryAfter, bool rateLimited)
    {
        var doubled = First * Math.Pow(2, Math.Min(failures - 1, 16));
        var wait = doubled < Longest ? doubled : Longest;
        if (rateLimited && retryAfter is null && wait < RateLimited)
        {
            wait = RateLimited;
        }

        return retryAfter is { } asked && asked > wait ? asked : wait;
    }

    /// <summary>
    /// When to renew a certificate just issued: two thirds into its lifetime, but never sooner than a sixth of that
    /// lifetime (at most a day) from now. A certificate that is due the moment it arrives (the CA's clock behind
    /// ours) would otherwise be ordered again at once, in a loop, until the CA's duplicate-certificate limit stops it.
    /// </summary>
    public static DateTimeOffset NextAfterIssued(DateTimeOffset notBefore, DateTimeOffset notAfter, DateTimeOffset now)
    {
        var sixth = (notAfter - notBefore) / 6;
        var soonest = now + (sixth < Longest ? sixth : Longest);
        var renewAt = RenewAt(notBefore, notAfter);
        return renewAt > soonest ? renewAt : soonest;
    }

    /// <summary>Two thirds into the certificate's lifetime, as Let's Encrypt advises for its 90-day certificates.</summary>
    public static DateTimeOffset RenewAt(DateTimeOffset notBefore, DateTimeOffset notAfter) => notBefore + (notAfter - notBefore) * 2 / 3;
}
