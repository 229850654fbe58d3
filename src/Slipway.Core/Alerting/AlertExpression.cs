namespace Slipway.Core.Alerting;

/// <summary>
/// A parsed alert expression: one or more conditions joined by <c>and</c>. A label set alerts when every
/// condition holds for it; its value is the first condition's. All conditions read the same source.
/// </summary>
internal sealed record AlertExpression(string Text, IReadOnlyList<AlertCondition> Conditions)
{
    public override string ToString() => Text;
}
