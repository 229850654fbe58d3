namespace Slipway.Control.Rollouts;

/// <summary>A deploy or rollout command that cannot be done as asked; the message says why in one line.</summary>
internal sealed class RolloutRefusedException : Exception
{
    public RolloutRefusedException(RefusalKind kind, string message)
        : base(message) => Kind = kind;

    public RolloutRefusedException()
    {
    }

    public RolloutRefusedException(string message)
        : base(message)
    {
    }

    public RolloutRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RefusalKind Kind { get; } = RefusalKind.Invalid;
}
