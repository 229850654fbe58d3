using System.Text.Json.Nodes;
using Slipway.Core.Primitives;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes.Configuration;

/// <summary>
/// The app-wide objects: its Namespace (enforcing the restricted Pod Security Standard, which every rendered pod
/// meets), the ServiceAccount its pods run as (no API token mounted), and, with <c>externalSecrets</c>, the
/// <c>ExternalSecret</c> that fills the app's Secret from a store. Without it the Secret is created by hand (the
/// walkthrough shows how): secret values never leave Slipway's store into rendered files.
/// </summary>
internal static class AppObjects
{
    public static KubeObject Namespace(RenderContext context)
    {
        var labels = context.Labels(context.App, "namespace");
        labels["pod-security.kubernetes.io/enforce"] = "restricted";
        return KubeObject.Create("v1", "Namespace", Json.Obj(("name", context.Namespace), ("labels", labels)));
    }

    public static KubeObject ServiceAccount(RenderContext context) =>
        KubeObject.Create("v1", "ServiceAccount", context.Metadata(Names.ServiceAccount(context.App), context.Labels(context.App, "service-account")),
            ("automountServiceAccountToken", false));

    /// <summary>Every key the app's Secret must hold: <c>run.secrets</c>, and what the backups read.</summary>
    public static IReadOnlyList<string> SecretKeys(RenderContext context)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (_, service) in context.RunServices)
        {
            keys.UnionWith(service.Run!.Secrets);
        }

        foreach (var (name, backup) in context.Manifest.Backups)
        {
            if (backup.Postgres is { Name: { } reference })
            {
                keys.Add(reference);
            }
            else if (backup.Postgres is { Kind: ValueReferenceKind.Literal, Literal: { } url } && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal))
            {
                keys.Add($"BACKUP_{name.ToUpperInvariant().Replace('-', '_')}_URL");
            }

            if (backup.PasswordSecret is { } password)
            {
                keys.Add(password);
            }
        }

        return [.. keys];
    }

    public static KubeObject? ExternalSecret(RenderContext context)
    {
        if (context.Kubernetes.ExternalSecrets is not { } external || SecretKeys(context) is not { Count: > 0 } keys)
        {
            return null;
        }

        return KubeObject.Create("external-secrets.io/v1", "ExternalSecret", context.Metadata(Names.Secrets(context.App), context.Labels(context.App, "secrets")),
            ("spec", Json.Obj(
                ("refreshInterval", Names.GoDuration(external.RefreshInterval)),
                ("secretStoreRef", Json.Obj(("name", external.Store), ("kind", external.Kind.ToString()))),
                ("target", Json.Obj(("name", Names.Secrets(context.App)), ("creationPolicy", "Owner"))),
                ("data", Json.Arr(keys.Select(k => (JsonNode?)Json.Obj(("secretKey", k), ("remoteRef", Json.Obj(("key", k))))))))));
    }
}
