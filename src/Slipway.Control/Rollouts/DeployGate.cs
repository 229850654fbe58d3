using System.Globalization;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Scheduling;

namespace Slipway.Control.Rollouts;

/// <summary>Deploy windows and freezes: whether a deploy may start now, and if not, when it may.</summary>
internal static class DeployGate
{
    /// <returns>Null when a deploy may start at <paramref name="now"/>; otherwise why not, naming when it may.</returns>
    public static string? Refusal(DeploySpec deploy, DateTimeOffset now)
    {
        foreach (var freeze in deploy.Freeze)
        {
            if (freeze.FromTime is { } from && freeze.ToTime is { } to && now >= from && now < to)
            {
                return $"deploys are frozen until {Format(to)}{(freeze.Reason is { } why ? $" ({why})" : "")}; use --force to deploy anyway";
            }
        }

        if (deploy.Windows.Count == 0)
        {
            return null;
        }

        var windows = deploy.Windows.Select(w => DeployWindow.TryParse(w, out var window, out _) ? window : null).OfType<DeployWindow>().ToList();
        if (windows.Any(w => w.Contains(now)))
        {
            return null;
        }

        var next = windows.Select(w => (Window: w, Opening: w.NextOpening(now))).Where(o => o.Opening is not null).OrderBy(o => o.Opening).FirstOrDefault();
        var when = next.Window is null ? "" : $"; the next window is {next.Window.Text}, opening {Format(next.Opening!.Value)}";
        return $"outside the deploy windows ({string.Join(", ", deploy.Windows)}){when}; use --force to deploy anyway";
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
