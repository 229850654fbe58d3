namespace Slipway.Core.Alerting;

/// <summary>How a sample's value is compared with a rule's threshold.</summary>
internal enum ComparisonOperator
{
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Equal,
    NotEqual,
}
