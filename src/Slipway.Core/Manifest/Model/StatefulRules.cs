using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// What <c>stateful: true</c> allows and forbids. One instance owns a data directory, so nothing may ever run two
/// at once: no second replica, no canary or blue-green (both run old and new side by side), no surge.
/// </summary>
internal static class StatefulRules
{
    /// <summary>Placeholders a stateful service's <c>url</c> may use.</summary>
    private static readonly IReadOnlySet<string> UrlPlaceholders = new HashSet<string>(StringComparer.Ordinal) { "PORT", "SERVICE" };

    public static void Check(ServiceSpec service, SpecContext context)
    {
        if (service.Run is null)
        {
            context.Error("stateful", "needs `run`: Slipway runs a stateful service's one instance itself (an `upstream` is run by someone else)");
        }

        if (service.Replicas > 1)
        {
            context.Error("replicas", $"must be 0 or 1 for a stateful service: one instance owns its data directory (got {service.Replicas})");
        }

        if (service.Autoscale is not null)
        {
            context.Error("autoscale", "cannot scale a stateful service: it runs one instance");
        }

        if (service.Deploy.Strategy != DeployStrategy.Rolling)
        {
            context.Error("deploy.strategy", $"must be rolling for a stateful service, which is replaced stop-then-start; {ScalarParsers.EnumName(service.Deploy.Strategy)} would run two instances on one data directory");
        }

        if (context.IsWritten("deploy.maxSurge") && !IsZero(service.Deploy.MaxSurge))
        {
            context.Error("deploy.maxSurge", $"must be 0 for a stateful service: the old instance stops before the new one starts (got {ScalarParsers.Quote(service.Deploy.MaxSurge)})");
        }

        if (context.IsWritten("deploy.maxUnavailable") && IsZero(service.Deploy.MaxUnavailable))
        {
            context.Error("deploy.maxUnavailable", "cannot be 0 for a stateful service: its one instance is down between the old one stopping and the new one being ready");
        }

        if (service.Deploy.PreviewHost is not null)
        {
            context.Error("deploy.previewHost", "cannot preview a stateful service: old and new never run at once");
        }

        if (service.Url is { } url)
        {
            CheckUrl(url, context);
        }

        if (service.Init is { } init)
        {
            foreach (var (key, text) in new[] { ("init.command", init.Command) }.Concat(init.Args.Select((a, i) => ($"init.args[{i}]", a))).Concat(init.Env.Select(e => ($"init.env.{e.Key}", e.Value))))
            {
                if (Placeholders.Find(text).FirstOrDefault(p => !RunSpec.KnownPlaceholders.Contains(p)) is { } unknown)
                {
                    context.Error(key, $"uses ${{{unknown}}}, which Slipway does not fill (known: {string.Join(", ", RunSpec.KnownPlaceholders.Select(p => "${" + p + "}"))})");
                }
            }
        }
    }

    public static void CheckNotStateful(ServiceSpec service, SpecContext context)
    {
        foreach (var key in new[] { "port", "url", "init" })
        {
            if (context.IsWritten(key))
            {
                context.Error(key, "applies only to a stateful service (`stateful: true`)");
            }
        }

        foreach (var (key, text) in service.Run?.Texts() ?? [])
        {
            if (Placeholders.Find(text).Contains("DATA_DIR"))
            {
                context.Error($"run.{key}", "uses ${DATA_DIR}, which only a stateful service has (`stateful: true`)");
            }
        }
    }

    private static void CheckUrl(string url, SpecContext context)
    {
        if (Placeholders.Find(url).FirstOrDefault(p => !UrlPlaceholders.Contains(p)) is { } unknown)
        {
            context.Error("url", $"uses ${{{unknown}}}; a url can use only ${{PORT}} and ${{SERVICE}}");
            return;
        }

        var sample = Placeholders.Expand(url, new Dictionary<string, string>(StringComparer.Ordinal) { ["PORT"] = "5432", ["SERVICE"] = "db" });
        if (!Uri.TryCreate(sample, UriKind.Absolute, out var uri) || uri.Scheme.Length == 0 || uri.IsFile)
        {
            context.Error("url", $"must be a URL such as postgresql://app@127.0.0.1:${{PORT}}/app (got {ScalarParsers.Quote(url)})");
        }
    }

    private static bool IsZero(string value) => value.Trim() is "0" or "0%";
}
