namespace Slipway.Proxy.Edge.Waf;

/// <summary>
/// Counts of the work one inspection did, so tests can show the work is bounded without timing it.
/// </summary>
internal struct WafWork
{
    /// <summary>Values (path, arguments, argument names, headers, cookies, body fields) inspected.</summary>
    public int Values;

    /// <summary>Characters fed into decoding, summed over every value and every pass.</summary>
    public long CharsDecoded;

    /// <summary>Characters the detectors scanned, summed over every value after normalisation.</summary>
    public long CharsScanned;

    /// <summary>The most percent-decoding passes any one value took.</summary>
    public int MaxDecodeRounds;

    /// <summary>Body bytes read (at most <see cref="WafLimits.BodyBytes"/>).</summary>
    public int BodyBytes;
}
