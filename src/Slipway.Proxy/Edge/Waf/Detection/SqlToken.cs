namespace Slipway.Proxy.Edge.Waf.Detection;

/// <summary>
/// One significant token. Comments are not tokens: the token before one records it in
/// <see cref="CommentAfter"/>, because the rules care only that a comment cut the query off.
/// </summary>
internal struct SqlToken
{
    public int Start;
    public int Length;
    public SqlTokenKind Kind;
    public SqlWord Word;
    public SqlOperator Operator;
    public SqlComment CommentAfter;

    /// <summary>A string literal that was closed (or that the application's own quote will close).</summary>
    public bool Closed;

    /// <summary>A word followed by '(' (comments between allowed): a function call.</summary>
    public bool IsCall;

    public readonly bool IsLogic => Word == SqlWord.Logic || Operator == SqlOperator.Logic;

    public readonly bool IsNot => Word == SqlWord.Not || Operator == SqlOperator.Not;

    public readonly bool IsComparison => Word == SqlWord.Comparison || Operator == SqlOperator.Comparison;

    /// <summary>A value: a literal, a column name, a variable or a constant.</summary>
    public readonly bool IsOperand => Kind is SqlTokenKind.String or SqlTokenKind.Number or SqlTokenKind.Variable
        || (Kind == SqlTokenKind.Word && Word is SqlWord.None or SqlWord.Literal or SqlWord.DefinitionObject or SqlWord.WaitKind or SqlWord.DumpTarget);
}
