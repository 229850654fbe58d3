using System.ComponentModel.DataAnnotations;

namespace Slipway.Core.Manifest.Model;

/// <summary>Sends alerts whose labels match to a receiver, grouped and paced as Alertmanager does.</summary>
internal sealed record AlertRouteSpec
{
    /// <summary>Label equality matchers; an empty set matches every alert.</summary>
    public IReadOnlyDictionary<string, string> Match { get; init; } = new Dictionary<string, string>();

    [Required]
    public string Receiver { get; init; } = "";

    public IReadOnlyList<string> GroupBy { get; init; } = ["alertname", "service"];

    public TimeSpan GroupWait { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan GroupInterval { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan RepeatInterval { get; init; } = TimeSpan.FromHours(4);

    /// <summary>Keep looking for further matching routes after this one.</summary>
    public bool Continue { get; init; }
}
