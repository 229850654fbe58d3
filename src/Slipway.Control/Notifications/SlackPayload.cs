using System.Text;
using System.Text.Json.Nodes;
using Slipway.Control.Alerts;

namespace Slipway.Control.Notifications;

/// <summary>The body a Slack-compatible incoming webhook takes: a plain <c>text</c> (for notifications) and the same in one mrkdwn block.</summary>
internal static class SlackPayload
{
    public static JsonObject For(Notification n)
    {
        string title;
        if (n.IsEvent)
        {
            var e = n.Alerts[0];
            title = $"[deploy] {e.Labels.GetValueOrDefault("service")}: {e.Labels.GetValueOrDefault("event")}";
        }
        else
        {
            var firing = n.Alerts.Count(a => a.State == AlertState.Firing);
            var what = string.Join(" ", n.GroupLabels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Value).Where(v => v.Length > 0));
            title = n.Status == "firing" ? $"[FIRING:{firing}] {what}" : $"[RESOLVED] {what}";
        }

        var text = new StringBuilder(title);
        foreach (var a in n.Alerts)
        {
            var summary = a.Annotations.GetValueOrDefault("summary") ?? a.Annotations.GetValueOrDefault("description") ?? a.Name;
            text.Append('\n').Append("• ");
            if (!n.IsEvent)
            {
                text.Append(a.State == AlertState.Resolved ? "resolved: " : $"{a.Severity}: ");
            }

            text.Append(summary);
        }

        return new JsonObject
        {
            ["text"] = text.ToString(),
            ["blocks"] = new JsonArray(new JsonObject
            {
                ["type"] = "section",
                ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = text.ToString() },
            }),
        };
    }
}
