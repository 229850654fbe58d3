namespace Slipway.Control.Audit;

/// <summary>What an <see cref="AuditEntry"/> records of a call: the names written in its <c>phase</c>.</summary>
internal static class AuditPhase
{
    /// <summary>Written before the call acts, with what it is about to do: a crash mid-action still leaves it.</summary>
    public const string Intent = "intent";

    /// <summary>Written after the call, allowed or refused, with its status.</summary>
    public const string Result = "result";

    /// <summary>The first entry of a log: when it began, and the unkeyed log from an older Slipway it replaced, if any.</summary>
    public const string Start = "start";
}
