namespace Slipway.Control.Rollouts;

/// <summary>Thrown inside a rollout's loop to end it (deadline, failed analysis, crash loop, hook failure).</summary>
internal sealed class RolloutEndedException : Exception
{
    public RolloutEndedException(RolloutEnd end)
        : base(end.Message) => End = end;

    public RolloutEndedException()
        : this(RolloutEnd.Failed("ended"))
    {
    }

    public RolloutEndedException(string message)
        : this(RolloutEnd.Failed(message))
    {
    }

    public RolloutEndedException(string message, Exception innerException)
        : base(message, innerException) => End = RolloutEnd.Failed(message);

    public RolloutEnd End { get; }
}
