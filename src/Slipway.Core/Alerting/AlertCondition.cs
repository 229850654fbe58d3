namespace Slipway.Core.Alerting;

/// <summary>One comparison: <c>error_ratio[5m] &gt; 5%</c>. The threshold is a plain number (5% is 0.05, 2s is 2).</summary>
internal sealed record AlertCondition(AlertSelector Selector, ComparisonOperator Operator, double Threshold)
{
    public bool Holds(double value) => Operator switch
    {
        ComparisonOperator.Greater => value > Threshold,
        ComparisonOperator.GreaterOrEqual => value >= Threshold,
        ComparisonOperator.Less => value < Threshold,
        ComparisonOperator.LessOrEqual => value <= Threshold,
        ComparisonOperator.Equal => value == Threshold,
        _ => value != Threshold,
    };

    public static string Symbol(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.Less => "<",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.Equal => "==",
        _ => "!=",
    };
}
