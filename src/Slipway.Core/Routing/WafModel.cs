using System.Collections.Immutable;

namespace Slipway.Core.Routing;

/// <summary>A route's WAF: what a match does, how much of a body is inspected, and the allow rules.</summary>
/// <param name="BodyBytes">Body bytes inspected (at most the engine's 16 KiB); 0 inspects no body.</param>
internal sealed record WafModel(WafMode Mode, int BodyBytes, ImmutableArray<WafAllowModel> Allow)
{
    public bool Equals(WafModel? other) =>
        other is not null && Mode == other.Mode && BodyBytes == other.BodyBytes && Allow.SequenceEqual(other.Allow);

    public override int GetHashCode() => HashCode.Combine(Mode, BodyBytes, Allow.Length);
}
