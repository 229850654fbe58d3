using Slipway.Core.Manifest.Binding;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Tls;

namespace Slipway.Core.Manifest.Validation;

/// <summary>
/// Rules that span sections: names, references between sections, ports that would
/// clash, files that must exist. Each section's own rules live on its record.
/// </summary>
internal static class ManifestRules
{
    public static void Validate(AppManifest manifest, string manifestDirectory, SpecContext root, ManifestTarget target, TimeProvider time)
    {
        if (target == ManifestTarget.Machine)
        {
            UnsupportedKeys.Check(root.Map, root);
        }

        if (!RevisionNames.IsValidName(manifest.App) && manifest.App.Length > 0)
        {
            root.Error("app", $"must be lowercase letters, digits and '-', starting with a letter, at most 63 characters (got \"{manifest.App}\")");
        }

        CheckNames(root, "services", manifest.Services.Keys);
        CheckNames(root, "backups", manifest.Backups.Keys);
        CheckNames(root, "jobs", manifest.Jobs.Keys);
        CheckNames(root, "alerts.receivers", manifest.Alerts.Receivers.Keys);

        var ports = new Dictionary<int, string>();
        CheckListeners(manifest.Proxy, root.Under("proxy"), ports, target);
        CheckTls(manifest.Proxy, manifestDirectory, root.Under("proxy"), target, time.GetUtcNow());

        foreach (var (name, service) in manifest.Services)
        {
            var context = root.Under($"services.{name}");
            CheckService(manifest, name, service, manifestDirectory, context, ports);
            if (target != ManifestTarget.Machine && service.Static is not null)
            {
                // Its files are a directory on this machine, which no cluster object can carry; an image can.
                context.Error("static", "is not supported yet by `render kubernetes`: a static site is a directory on this machine; for a cluster, build its files into an image served by a web server and give that service `image:` and `run:`");
            }
        }

        CheckRouteConflicts(manifest, root);
        DependencyRules.Check(manifest, root);
        JobRules.Check(manifest, manifestDirectory, root);
        CheckAlerts(manifest.Alerts, root.Under("alerts"));
    }

    private static void CheckNames(SpecContext root, string section, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (!RevisionNames.IsValidName(name))
            {
                root.Error($"{section}.{name}", "is not a valid name: use lowercase letters, digits and '-', starting with a letter, at most 63 characters");
            }
        }
    }

    private static void CheckListeners(ProxySpec proxy, SpecContext context, Dictionary<int, string> ports, ManifestTarget target)
    {
        if (proxy.Listen.Count == 0)
        {
            context.Error("listen", "must list at least one address such as http://127.0.0.1:8080");
        }

        for (var i = 0; i < proxy.Listen.Count; i++)
        {
            var key = $"listen[{i}]";
            if (!Uri.TryCreate(proxy.Listen[i], UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.AbsolutePath != "/" || uri.IsDefaultPort && !proxy.Listen[i].Contains(":80", StringComparison.Ordinal) && !proxy.Listen[i].Contains(":443", StringComparison.Ordinal))
            {
                context.Error(key, $"must be a URL such as http://0.0.0.0:8080 with an explicit port (got \"{proxy.Listen[i]}\")");
                continue;
            }

            if (uri.Scheme == "https" && proxy.Tls is null)
            {
                context.Error(key, "is https but `proxy.tls` is not set");
            }

            Claim(ports, uri.Port, context.PathOf(key), context, key);
        }
    }

    /// <summary>
    /// Loads every certificate as <c>up</c> will (<see cref="PemCertificate.Load"/>), so <c>validate</c> refuses exactly
    /// what would stop the daemon; a host name may belong to one certificate only.
    /// </summary>
    private static void CheckTls(ProxySpec proxy, string manifestDirectory, SpecContext proxyContext, ManifestTarget target, DateTimeOffset now)
    {
        if (proxy.Tls is not { } tls)
        {
            return;
        }

        var context = proxyContext.Under("tls");
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (prefix, files) in tls.AllFiles())
        {
            if (files.Certificate.Length == 0)
            {
                continue;
            }

            if (target != ManifestTarget.Machine)
            {
                CheckFile(context, prefix + "certificate", files.Certificate, manifestDirectory);
                continue;
            }

            try
            {
                var keyPath = files.Key.Length > 0 ? Path.Combine(manifestDirectory, files.Key) : null;
                var certificate = PemCertificate.Load(Path.Combine(manifestDirectory, files.Certificate), keyPath, now);
                foreach (var name in certificate.Names)
                {
                    if (!owners.TryAdd(name, files.Certificate))
                    {
                        context.Error(prefix + "certificate", $"names {name}, as {owners[name]} does; a host name may have one certificate, so drop it from one of them");
                    }
                }
            }
            catch (CertificateFileException e)
            {
                context.Error(prefix + (e.AboutKey && files.Key.Length > 0 ? "key" : "certificate"), e.Message);
            }
        }

        if (tls.Acme is { } acme)
        {
            CheckAcme(proxy, acme, owners, context.Under("acme"), manifestDirectory, target);
        }

        if (target == ManifestTarget.Machine && tls.RedirectHttp)
        {
            var schemes = proxy.Listen.Select(l => Uri.TryCreate(l, UriKind.Absolute, out var uri) ? uri.Scheme : "").ToList();
            if (!schemes.Contains("https") || !schemes.Contains("http"))
            {
                context.Error("redirectHttp", "sends plain-HTTP clients to the HTTPS listener, so `proxy.listen` needs both an http:// and an https:// address");
            }
        }
    }

    /// <summary>The root of the version <c>up</c> would serve must exist and hold the index (what readiness will ask of it).</summary>
    private static void CheckStaticRoot(SpecContext context, StaticSpec site, string version, string manifestDirectory)
    {
        // An empty root or an unknown placeholder is the spec's own error, already reported.
        if (site.Root.Length == 0 || Primitives.Placeholders.Find(site.Root).Any(name => name != "VERSION"))
        {
            return;
        }

        var root = site.RootFor(manifestDirectory, version);
        if (!Directory.Exists(root))
        {
            context.Error("static.root", $"names a directory that does not exist: {root}");
        }
        else if (!File.Exists(Path.Combine(root, site.Index)))
        {
            context.Error("static.root", $"holds no {site.Index}: {root}");
        }
    }

    private static void CheckService(AppManifest manifest, string name, ServiceSpec service, string manifestDirectory, SpecContext context, Dictionary<int, string> ports)
    {
        if (service.Internal is { } internalListener)
        {
            Claim(ports, internalListener.Port, context.PathOf("internal.port"), context, "internal.port");
        }

        if (service.Stateful && service.Port is { } fixedPort)
        {
            Claim(ports, fixedPort, context.PathOf("port"), context, "port");
        }

        if (service.Run?.Workdir is { } workdir && !Directory.Exists(Path.Combine(manifestDirectory, workdir)))
        {
            context.Error("run.workdir", $"names a directory that does not exist: {Path.GetFullPath(Path.Combine(manifestDirectory, workdir))}");
        }

        if (service.Static is { } site)
        {
            CheckStaticRoot(context, site, service.Version ?? "1", manifestDirectory);
        }

        // A stateful service's autoscale is refused whole (StatefulRules): its details would only add noise.
        if (service.Autoscale is { } autoscale && !service.Stateful)
        {
            CheckAutoscale(service, autoscale, context);
        }

        if (service.Deploy.Analysis.Metrics.Count > 0 && service.Metrics is null)
        {
            context.Error("deploy.analysis.metrics", "reads what the service serves on `metrics.path`, but the service has no `metrics:`; add e.g. `metrics: { path: /metrics }`");
        }

        if (service.Deploy.Hooks.BackupFirst is { } backup && !manifest.Backups.ContainsKey(backup))
        {
            context.Error("deploy.hooks.backupFirst", Unknown("backup", backup, manifest.Backups.Keys, "backups"));
        }

        if (service.Deploy.PreviewHost is { } preview)
        {
            if (service.Routes.Count == 0)
            {
                context.Error("deploy.previewHost", "needs at least one route: the preview host serves the service's routes, on the new revision");
            }

            if (manifest.Services.SelectMany(s => s.Value.Routes.Select(r => (Service: s.Key, r.Host))).FirstOrDefault(r => string.Equals(r.Host, preview, StringComparison.OrdinalIgnoreCase)) is { Host: not null } taken)
            {
                context.Error("deploy.previewHost", $"is {preview}, a host that a route of {taken.Service} already serves; choose a host of its own");
            }

            if (manifest.Services.FirstOrDefault(s => s.Key != name && string.Equals(s.Value.Deploy.PreviewHost, preview, StringComparison.OrdinalIgnoreCase)).Key is { } other)
            {
                context.Error("deploy.previewHost", $"is also the preview host of {other}; each service needs its own");
            }
        }

        if (service.Upstream is not null)
        {
            foreach (var (probe, key) in new[] { (service.Health.Startup, "startup"), (service.Health.Liveness, "liveness") })
            {
                if (probe is not null)
                {
                    context.Error($"health.{key}", "applies only to services Slipway runs; an upstream has only a readiness check");
                }
            }

            if (service.Health.Readiness?.Exec is not null)
            {
                context.Error("health.readiness.exec", "cannot check an upstream; use `http` or `tcp`");
            }

            if (service.Deploy.Strategy != DeployStrategy.Rolling || service.Deploy.Steps.Count > 0 || service.Deploy.PreviewHost is not null)
            {
                context.Error("deploy", "applies only to services Slipway runs, not to an upstream");
            }
        }

        if (service.Routes.Count == 0 && service.Internal is null && service.Metrics is null && service.Health.Readiness?.Http is not null
            && manifest.Services.Count == 1)
        {
            // A lone HTTP service with no way in is almost certainly a forgotten `routes:`.
            context.Error("routes", "is empty, so no request can reach this service; add e.g. `routes: [{ path: / }]`");
        }
    }

    /// <summary>What <c>autoscale</c> reads must exist: the 100 % of a share, the metrics it scrapes, traffic it counts.</summary>
    private static void CheckAutoscale(ServiceSpec service, AutoscaleSpec autoscale, SpecContext context)
    {
        // Left out, `replicas` starts the service at autoscale.min; written, it must lie within the bounds.
        if (context.IsWritten("replicas") && (service.Replicas < autoscale.Min || service.Replicas > autoscale.Max))
        {
            context.Error("replicas", $"must be between autoscale.min ({autoscale.Min}) and autoscale.max ({autoscale.Max}) (got {service.Replicas})");
        }

        if (autoscale.Memory is not null && service.Resources.Memory is null)
        {
            context.Error("autoscale.memory", "is a share of resources.memory, which is not set; add e.g. `resources: { memory: 256MB }`");
        }

        if (autoscale.App is not null && service.Metrics is null)
        {
            context.Error("autoscale.app", "reads what the service serves on `metrics.path`, but the service has no `metrics:`; add e.g. `metrics: { path: /metrics }`");
        }

        if (service.Routes.Count == 0 && service.Internal is null)
        {
            foreach (var (key, target) in new (string Key, int? Target)[] { ("rpsPerInstance", autoscale.RpsPerInstance), ("inFlightPerInstance", autoscale.InFlightPerInstance) })
            {
                if (target is not null)
                {
                    context.Error($"autoscale.{key}", "counts the requests Slipway's proxy forwards, but the service has no routes and no internal listener, so it would always read 0");
                }
            }
        }
    }

    private static void CheckRouteConflicts(AppManifest manifest, SpecContext root)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, service) in manifest.Services)
        {
            for (var i = 0; i < service.Routes.Count; i++)
            {
                var route = service.Routes[i];
                var signature = string.Join('|',
                    route.Host?.ToLowerInvariant() ?? "*",
                    route.Path.TrimEnd('/'),
                    string.Join(',', route.Methods.Order(StringComparer.Ordinal)),
                    string.Join(',', route.Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(h => $"{h.Key.ToLowerInvariant()}={h.Value}")));
                var path = $"services.{name}.routes[{i}]";
                if (seen.TryGetValue(signature, out var first))
                {
                    root.Error(path, $"matches exactly the same requests as {first}; one of them could never be reached");
                }
                else
                {
                    seen[signature] = path;
                }
            }
        }
    }

    private static void CheckAlerts(AlertsSpec alerts, SpecContext context)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < alerts.Rules.Count; i++)
        {
            if (!names.Add(alerts.Rules[i].Name))
            {
                context.Error($"rules[{i}]", $"repeats the rule `{alerts.Rules[i].Name}`");
            }
        }

        for (var i = 0; i < alerts.Routes.Count; i++)
        {
            var receiver = alerts.Routes[i].Receiver;
            if (receiver.Length > 0 && !alerts.Receivers.ContainsKey(receiver))
            {
                context.Error($"routes[{i}].receiver", Unknown("receiver", receiver, alerts.Receivers.Keys, "alerts.receivers"));
            }
        }
    }

    private static void Claim(Dictionary<int, string> ports, int port, string path, SpecContext context, string key)
    {
        if (ports.TryGetValue(port, out var owner))
        {
            context.Error(key, $"uses port {port}, which {owner} already uses");
        }
        else
        {
            ports[port] = path;
        }
    }

    /// <summary>ACME proves a host over plain HTTP and serves it over HTTPS, so it needs both listeners; a host has one certificate.</summary>
    private static void CheckAcme(ProxySpec proxy, AcmeSpec acme, Dictionary<string, string> owners, SpecContext context, string manifestDirectory, ManifestTarget target)
    {
        if (target != ManifestTarget.Machine)
        {
            context.Error("not supported yet by render kubernetes: name a cert-manager issuer in `kubernetes.certIssuer` instead");
            return;
        }

        var schemes = proxy.Listen.Select(l => Uri.TryCreate(l, UriKind.Absolute, out var uri) ? uri.Scheme : "").ToList();
        if (!schemes.Contains("http") || !schemes.Contains("https"))
        {
            context.Error("proves each host over plain HTTP (the CA asks http://HOST/.well-known/acme-challenge/… on port 80) and serves it over HTTPS, "
                + "so `proxy.listen` needs both an http:// and an https:// address, e.g. [\"http://0.0.0.0:80\", \"https://0.0.0.0:443\"]");
        }

        for (var i = 0; i < acme.Hosts.Count; i++)
        {
            if (owners.TryGetValue(acme.Hosts[i].ToLowerInvariant(), out var owner))
            {
                context.Error($"hosts[{i}]", $"is {acme.Hosts[i]}, which {owner} already names; a host name may have one certificate, so drop it from one of them");
            }
        }

        if (acme.TrustedCa is { } trustedCa)
        {
            CheckFile(context, "trustedCa", trustedCa, manifestDirectory);
        }
    }

    private static void CheckFile(SpecContext context, string key, string file, string manifestDirectory)
    {
        if (file.Length > 0 && !File.Exists(Path.Combine(manifestDirectory, file)))
        {
            context.Error(key, $"names a file that does not exist: {Path.GetFullPath(Path.Combine(manifestDirectory, file))}");
        }
    }

    internal static string Unknown(string what, string name, IEnumerable<string> known, string section)
    {
        var hint = Suggestions.Closest(name, known);
        return $"names the {what} `{name}`, which is not in `{section}`" + (hint is null ? "" : $"; did you mean `{hint}`?");
    }
}
