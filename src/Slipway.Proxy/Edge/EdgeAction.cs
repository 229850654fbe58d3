namespace Slipway.Proxy.Edge;

internal enum EdgeAction
{
    /// <summary>On to the next step, then the backend.</summary>
    Continue,

    /// <summary>Answer <see cref="EdgeVerdict.Answer"/> and forward nothing.</summary>
    Refuse,

    /// <summary>Wait on <see cref="EdgeVerdict.Hold"/> (maintenance), then run the steps again.</summary>
    Hold,
}
