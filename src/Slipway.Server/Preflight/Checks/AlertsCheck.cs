using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Slipway.Core.Alerting;
using Slipway.Core.Manifest.Model;

namespace Slipway.Server.Preflight.Checks;

/// <summary>
/// Each alert receiver answers without paging anyone (Alertmanager's <c>/-/ready</c> and <c>/api/v2/status</c>; a
/// Slack or webhook URL is set and its host resolves), and the built-in rules that page are enabled.
/// </summary>
internal sealed class AlertsCheck : IPreflightCheck
{
    public string Name => "alerts";

    public bool ConcernsDeploy => false;

    public async Task<IReadOnlyList<PreflightFinding>> RunAsync(PreflightContext context, CancellationToken cancel)
    {
        var alerts = context.Manifest.Alerts;
        var findings = new List<PreflightFinding>();
        if (alerts.Receivers.Count == 0)
        {
            findings.Add(new(Name, "alerts.receivers", PreflightStatus.Warn, "no receiver: alerts show in slipway alerts but reach nobody",
                "add a receiver, e.g. alerts.receivers.oncall.slack: env:SLACK_WEBHOOK"));
        }

        foreach (var (name, receiver) in alerts.Receivers.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            findings.Add(await ReceiverAsync(context, name, receiver).ConfigureAwait(false));
        }

        findings.Add(Rules(context.Manifest));
        return findings;
    }

    private async Task<PreflightFinding> ReceiverAsync(PreflightContext context, string name, ReceiverSpec receiver)
    {
        var (key, reference) = receiver.Alertmanager is { } am ? ("alertmanager", am) : receiver.Slack is { } slack ? ("slack", slack) : ("webhook", receiver.Webhook!);
        var subject = $"alerts.receivers.{name}.{key}";
        var url = reference.Resolve(context.Environment, context.Secrets);
        if (string.IsNullOrEmpty(url))
        {
            return new(Name, subject, PreflightStatus.Fail, $"{reference} is not set, so receiver {name} cannot deliver", $"set {reference} (see the secrets check)");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return new(Name, subject, PreflightStatus.Fail, $"{(reference.Kind == Core.Primitives.ValueReferenceKind.Literal ? url : reference.ToString())} is not an http(s) URL", "give the receiver an http:// or https:// URL");
        }

        return key == "alertmanager" ? await AlertmanagerAsync(context, subject, uri).ConfigureAwait(false) : await ResolvesAsync(context, subject, uri).ConfigureAwait(false);
    }

    /// <summary>Ready and reporting its status: what Alertmanager answers without a notification being sent.</summary>
    private async Task<PreflightFinding> AlertmanagerAsync(PreflightContext context, string subject, Uri root)
    {
        var fix = $"start Alertmanager at {root.GetLeftPart(UriPartial.Authority)}, or point {subject} at the running one";
        using var bounded = context.Bounded();
        try
        {
            using (var ready = await context.Http.GetAsync(new Uri(root, "-/ready"), bounded.Token).ConfigureAwait(false))
            {
                if (!ready.IsSuccessStatusCode)
                {
                    return new(Name, subject, PreflightStatus.Fail, $"{root} answers /-/ready with {(int)ready.StatusCode}", fix);
                }
            }

            using var status = await context.Http.GetAsync(new Uri(root, "api/v2/status"), bounded.Token).ConfigureAwait(false);
            if (!status.IsSuccessStatusCode)
            {
                return new(Name, subject, PreflightStatus.Fail, $"{root} is ready but answers /api/v2/status with {(int)status.StatusCode}", fix);
            }

            using var json = JsonDocument.Parse(await status.Content.ReadAsStringAsync(bounded.Token).ConfigureAwait(false));
            var version = json.RootElement.TryGetProperty("versionInfo", out var info) && info.TryGetProperty("version", out var v) ? v.GetString() : null;
            var cluster = json.RootElement.TryGetProperty("cluster", out var c) && c.TryGetProperty("status", out var s) ? s.GetString() : null;
            return PreflightFinding.Ok(Name, subject, $"{root} is ready (Alertmanager {version ?? "of unknown version"}, cluster {cluster ?? "unknown"})");
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException)
        {
            var why = e is OperationCanceledException ? $"no answer within {context.Timeout.TotalSeconds:0}s" : e.Message;
            return new(Name, subject, PreflightStatus.Fail, $"{root} does not answer: {why}", fix);
        }
    }

    /// <summary>Slack and webhooks have no dry run that pages nobody; a set URL whose host resolves is what can be known.</summary>
    private async Task<PreflightFinding> ResolvesAsync(PreflightContext context, string subject, Uri url)
    {
        using var bounded = context.Bounded();
        try
        {
            var addresses = IPAddress.TryParse(url.Host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(url.Host, bounded.Token).ConfigureAwait(false);
            return addresses.Length > 0
                ? PreflightFinding.Ok(Name, subject, $"the URL is set and {url.Host} resolves (no message sent)")
                : new(Name, subject, PreflightStatus.Fail, $"{url.Host} resolves to no address", "check the URL and this machine's DNS");
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return new(Name, subject, PreflightStatus.Fail, $"{url.Host} does not resolve: {(e is OperationCanceledException ? "no answer in time" : e.Message)}", "check the URL and this machine's DNS");
        }
    }

    private PreflightFinding Rules(AppManifest manifest)
    {
        var enabled = manifest.Alerts.Rules.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var wanted = BuiltInRules.Critical.Where(rule => rule switch
        {
            "backup-failed" => manifest.Backups.Count > 0,
            "slo-burn-rate" => manifest.Services.Values.Any(s => s.Slo is not null),
            _ => true,
        });
        var missing = wanted.Where(r => !enabled.Contains(r)).ToList();
        return missing.Count == 0
            ? PreflightFinding.Ok(Name, "alerts.rules", $"the built-in rules that page are on: {string.Join(", ", wanted)}")
            : new(Name, "alerts.rules", PreflightStatus.Warn, $"built-in rules that page are off: {string.Join(", ", missing)}", $"add {string.Join(", ", missing)} to alerts.rules");
    }
}
