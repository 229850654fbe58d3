namespace Slipway.Proxy.Edge.Waf;

/// <summary>One rule: its stable name (used in logs, metrics and allow rules), class and meaning.</summary>
internal sealed record WafRule(WafRuleId Id, string Name, WafClass Class, string Description)
{
    public ulong Bit => 1UL << (int)Id;
}
