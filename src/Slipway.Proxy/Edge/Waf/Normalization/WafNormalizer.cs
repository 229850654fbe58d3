namespace Slipway.Proxy.Edge.Waf.Normalization;

/// <summary>
/// Turns one raw value into the text the detectors read: up to <see cref="WafLimits.DecodeRounds"/>
/// percent-decoding passes (the first one turning '+' into a space for query and form values),
/// stopping as soon as a pass decodes nothing, then <see cref="TextFolder"/>.
/// </summary>
internal static class WafNormalizer
{
    /// <summary>
    /// Normalises <paramref name="raw"/> using <paramref name="scratch"/>, which must hold
    /// 2 × <c>raw.Length</c> characters; the result is a slice of it, and <paramref name="spare"/>
    /// the half the result is not in (at least as long as the result), free for the caller.
    /// </summary>
    public static ReadOnlySpan<char> Normalize(ReadOnlySpan<char> raw, bool plusIsSpace, Span<char> scratch, ref WafWork work, out Span<char> spare)
    {
        var first = scratch[..raw.Length];
        var second = scratch.Slice(raw.Length, raw.Length);
        ReadOnlySpan<char> current = raw;
        var inFirst = false;
        var rounds = 0;
        while (rounds < WafLimits.DecodeRounds && (current.Contains('%') || (plusIsSpace && rounds == 0 && current.Contains('+'))))
        {
            var target = inFirst ? second : first;
            work.CharsDecoded += current.Length;
            var length = PercentDecoder.Decode(current, target, plusIsSpace && rounds == 0, out var decoded);
            current = target[..length];
            inFirst = target == first;
            rounds++;
            if (!decoded)
            {
                break;
            }
        }

        work.MaxDecodeRounds = Math.Max(work.MaxDecodeRounds, rounds);
        var output = inFirst ? second : first;
        var folded = TextFolder.Fold(current, output);
        spare = inFirst ? first : second;
        return output[..folded];
    }
}
