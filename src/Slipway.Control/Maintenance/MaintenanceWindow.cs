namespace Slipway.Control.Maintenance;

/// <summary>One maintenance: the whole app's (<see cref="Service"/> null) or one service's.</summary>
/// <param name="Hold">How long a request waits for the maintenance to end before it gets the page.</param>
/// <param name="Page">The 503's body.</param>
/// <param name="PageType">Its Content-Type.</param>
/// <param name="By">The token name that turned it on.</param>
internal sealed record MaintenanceWindow(string? Service, TimeSpan Hold, string Page, string PageType, DateTimeOffset Since, string By)
{
    public const string DefaultPage = "503 down for maintenance, back soon\n";
    public const string TextType = "text/plain; charset=utf-8";
    public const string HtmlType = "text/html; charset=utf-8";

    /// <summary>A page larger than this is refused: it is sent whole with every held request's answer.</summary>
    public const int MaxPageBytes = 64 * 1024;

    /// <summary>Longest hold: clients and load balancers in front give up on a request well before.</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromMinutes(5);
}
