namespace Slipway.Proxy.Edge;

/// <summary>A step's decision: a struct, so passing costs nothing.</summary>
internal readonly struct EdgeVerdict
{
    private EdgeVerdict(EdgeAction action, EdgeAnswer? answer, int retryAfterSeconds, MaintenanceStep? hold)
    {
        Action = action;
        Answer = answer;
        RetryAfterSeconds = retryAfterSeconds;
        Hold = hold;
    }

    public EdgeAction Action { get; }

    /// <summary>What to answer when refused.</summary>
    public EdgeAnswer? Answer { get; }

    /// <summary>The <c>Retry-After</c> to send with a refusal; 0 for none.</summary>
    public int RetryAfterSeconds { get; }

    /// <summary>The maintenance to wait out when <see cref="Action"/> is <see cref="EdgeAction.Hold"/>.</summary>
    public MaintenanceStep? Hold { get; }

    public static EdgeVerdict Refuse(EdgeAnswer answer, int retryAfterSeconds = 0) => new(EdgeAction.Refuse, answer, retryAfterSeconds, null);

    public static EdgeVerdict HoldFor(MaintenanceStep maintenance) => new(EdgeAction.Hold, maintenance.Answer, MaintenanceStep.RetryAfterSeconds, maintenance);
}
