using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>Where notifications go: exactly one of a Slack-style webhook, a generic webhook, or an Alertmanager.</summary>
internal sealed record ReceiverSpec : IValidatedSpec
{
    /// <summary>A Slack-compatible incoming webhook URL, usually <c>env:SLACK_WEBHOOK</c> or <c>secret:NAME</c>.</summary>
    public ValueReference? Slack { get; init; }

    /// <summary>A URL that receives Alertmanager's webhook JSON (version 4).</summary>
    public ValueReference? Webhook { get; init; }

    /// <summary>An Alertmanager base URL; alerts are posted to its API v2.</summary>
    public ValueReference? Alertmanager { get; init; }

    /// <summary>Send a notification when an alert resolves.</summary>
    public bool SendResolved { get; init; } = true;

    public void Validate(SpecContext context)
    {
        var kinds = (Slack is null ? 0 : 1) + (Webhook is null ? 0 : 1) + (Alertmanager is null ? 0 : 1);
        if (kinds != 1)
        {
            context.Error(kinds == 0
                ? "needs one of `slack`, `webhook` or `alertmanager`"
                : "must have only one of `slack`, `webhook` and `alertmanager`");
        }

        CheckUrl(context, "slack", Slack);
        CheckUrl(context, "webhook", Webhook);
        CheckUrl(context, "alertmanager", Alertmanager);
    }

    private static void CheckUrl(SpecContext context, string key, ValueReference? value)
    {
        if (value is { Kind: ValueReferenceKind.Literal } literal
            && !(Uri.TryCreate(literal.Literal, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            context.Error(key, $"must be an http(s) URL, env:NAME or secret:NAME (got {ScalarParsers.Quote(literal.Literal ?? "")})");
        }
    }
}
