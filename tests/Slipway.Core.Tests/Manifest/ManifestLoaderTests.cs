using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Model;
using Slipway.Testing;

namespace Slipway.Core.Tests.Manifest;

public sealed class ManifestLoaderTests
{
    private static ManifestLoadResult Load(string yaml) => ManifestLoader.LoadText(yaml.ReplaceLineEndings("\n"), "app.yaml", Path.GetTempPath());

    private static IReadOnlyList<string> Errors(string yaml) => Load(yaml).FormattedErrors.ToList();

    [Fact]
    public void LoadFile_ShopExample_IsValid()
    {
        var result = ManifestLoader.LoadFile(RepositoryRoot.File("examples", "shop", "slipway.yaml"));

        Assert.Empty(result.FormattedErrors);
        var manifest = result.Manifest!;
        Assert.Equal("shop", manifest.App);
        Assert.Equal(["web", "api", "worker", "cache", "legacy"], manifest.Services.Keys);
        Assert.Equal(DeployStrategy.Canary, manifest.Services["api"].Deploy.Strategy);
        Assert.Equal(3, manifest.Services["api"].Deploy.Steps.Count);
        Assert.True(manifest.Services["api"].Deploy.Steps[0].Pause.Duration == TimeSpan.FromSeconds(30));
        Assert.Equal("dotnet", manifest.Services["worker"].Run!.Command);
        Assert.Equal(RestartPolicy.OnFailure, manifest.Services["worker"].Restart.Policy);
        Assert.Equal(HeadersPreset.Secure, manifest.Proxy.Headers.Preset);
    }

    [Fact]
    public void Load_ThreePlantedMistakes_ReportsAllThreeWithLineAndColumn()
    {
        var errors = Errors("""
            app: shop
            services:
              api:
                run: { command: dotnet }
                replicas: -1
                health:
                  readines: { http: /ready }
                deploy:
                  strategy: canary
                  steps: [ { weight: 50 }, { weight: 25 } ]
            """);

        Assert.Equal(
        [
            "app.yaml:5:15: services.api.replicas must be between 0 and 1000 (got -1)",
            "app.yaml:7:7: services.api.health.readines is not a known key; did you mean `readiness`?",
            "app.yaml:10:42: services.api.deploy.steps[1].weight must be greater than the step before (50); weights rise strictly (got 25)",
        ], errors);
    }

    [Fact]
    public void Load_Inhibit_DefaultsToTheBuiltInPair_AndAnEmptyListTurnsItOff()
    {
        Assert.Equal(2, Load("app: a\n").Manifest!.Alerts.Inhibit.Count);
        Assert.Empty(Load("app: a\nalerts: { inhibit: [] }\n").Manifest!.Alerts.Inhibit);
        var rule = Assert.Single(Load("app: a\nalerts: { inhibit: [ { source: { alertname: instance-down }, target: { severity: warning }, equal: [service, revision] } ] }\n").Manifest!.Alerts.Inhibit);
        Assert.Equal(["service", "revision"], rule.Equal);
    }

    [Fact]
    public void Load_Defaults_AreThoseDocumented()
    {
        var manifest = Load("app: a\nservices:\n  s:\n    run: { command: x }\n").Manifest!;

        var service = manifest.Services["s"];
        Assert.Equal(1, service.Replicas);
        Assert.Equal(LoadBalancing.PowerOfTwo, service.LoadBalancing);
        Assert.Equal(TimeSpan.FromSeconds(30), service.Stop.DrainTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), service.Stop.GracePeriod);
        Assert.Equal(RestartPolicy.Always, service.Restart.Policy);
        Assert.Equal(TimeSpan.FromMinutes(5), service.Restart.MaxBackoff);
        Assert.Equal(DeployStrategy.Rolling, service.Deploy.Strategy);
        Assert.Equal(["http://127.0.0.1:8080"], manifest.Proxy.Listen);
    }

    [Theory]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, upstream: [\"127.0.0.1:1\"] }\n", "services.s.upstream cannot be used together with `run`")]
    [InlineData("app: a\nservices:\n  s: {}\n", "services.s needs either `run`")]
    [InlineData("app: a\nservices:\n  s: { version: \"..\", run: { command: x } }\n", "services.s.version must be letters, digits, '.', '_' or '-', starting with a letter or digit")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, autoscale: { min: 5, max: 2, cpu: 50% }, replicas: 3 }\n", "services.s.autoscale.min must not be greater than max (2) (got 5)")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, deploy: { hooks: { backupFirst: main } } }\n", "services.s.deploy.hooks.backupFirst names the backup `main`, which is not in `backups`")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, routes: [ { path: / } ], deploy: { previewHost: \"https://p.test\" } }\n", "services.s.deploy.previewHost must be a host name such as preview.example.com")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, routes: [ { host: p.test } ], deploy: { previewHost: p.test } }\n", "services.s.deploy.previewHost is p.test, a host that a route of s already serves")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, deploy: { previewHost: p.test } }\n", "services.s.deploy.previewHost needs at least one route")]
    [InlineData("app: a\nproxy: { listen: [\"http://127.0.0.1:9000\"] }\nservices:\n  s: { run: { command: x }, internal: { port: 9000 } }\n", "services.s.internal.port uses port 9000, which proxy.listen[0] already uses")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, deploy: { strategy: canary, steps: [ { weight: 120 } ] } }\n", "services.s.deploy.steps[0].weight must be between 1 and 100 (got 120)")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, deploy: { strategy: canary } }\n", "services.s.deploy.steps must list at least one step")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, health: { readiness: { http: /r, tcp: true } } }\n", "services.s.health.readiness must have only one of")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, health: { readiness: { period: 5s } } }\n", "services.s.health.readiness needs one check")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x, args: [\"${NOPE}\"] } }\n", "services.s.run.args[0] uses ${NOPE}")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, restart: sometimes }\n", "services.s.restart must be always, on-failure, never or a mapping")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, loadBalancing: round-robbin }\n", "did you mean `round-robin`?")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, deploy: { windows: [\"Someday 02:00-04:00\"] } }\n", "services.s.deploy.windows[0] must start with days")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, routes: [ { path: /a }, { path: /a/ } ] }\n", "services.s.routes[1] matches exactly the same requests as services.s.routes[0]")]
    [InlineData("app: a\nalerts: { routes: [ { receiver: pager } ] }\n", "alerts.routes[0].receiver names the receiver `pager`")]
    [InlineData("app: a\nalerts: { rules: [ high-eror-rate ] }\n", "did you mean `high-error-rate`?")]
    [InlineData("app: a\nbackups: { db: { postgres: \"env:DB\", destination: /b, schedule: \"61 * * * *\" } }\n", "backups.db.schedule")]
    [InlineData("app: a\nbackups: { db: { postgres: \"env:DB\", destination: \"s3://My_Bucket/x\" } }\n", "backups.db.destination \"My_Bucket\" is not an S3 bucket name")]
    [InlineData("app: a\nbackups: { db: { postgres: \"env:DB\", kind: physical, destination: \"s3://bkt/x\" } }\n", "backups.db.destination not supported yet: physical backups to an s3:// destination")]
    [InlineData("app: a\nbackups: { db: { postgres: \"env:DB\", destination: /b, s3: { region: eu-west-1 } } }\n", "backups.db.s3 applies only to an s3:// destination")]
    [InlineData("app: a\nbackups: { db: { postgres: \"env:DB\", destination: \"s3://bkt\", s3: { secretAccessKey: abc123 } } }\n", "backups.db.s3.secretAccessKey must be env:NAME or secret:NAME")]
    [InlineData("app: a\nbackups: { db: { postgres: \"env:DB\", destination: \"s3://bkt\", s3: { accessKeyId: AKIA1 } } }\n", "backups.db.s3.accessKeyId must be env:NAME or secret:NAME")]
    [InlineData("app: a\nbackups: { db: { postgres: \"env:DB\", destination: \"s3://bkt\", s3: { endpoint: \"ftp://x\" } } }\n", "backups.db.s3.endpoint must be an http:// or https:// URL")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, replicas: three }\n", "services.s.replicas must be a whole number (got \"three\")")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, preserveHost: yes }\n", "services.s.preserveHost must be true or false (got \"yes\")")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, metrics: { path: metrics } }\n", "services.s.metrics.path must be a path starting with '/'")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, metrics: { interval: 100ms } }\n", "services.s.metrics.interval must be at least 1s (got 100ms)")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, metrics: { maxBytes: 0B } }\n", "services.s.metrics.maxBytes must be more than 0B")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, deploy: { analysis: { metrics: [ { name: pay, expr: 'app_rate(\"p_total\")[1m]', max: 1 } ] } } }\n", "services.s.deploy.analysis.metrics reads what the service serves on `metrics.path`, but the service has no `metrics:`")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, metrics: {}, deploy: { analysis: { metrics: [ { name: pay, expr: 'error_ratio[1m]', max: 1 } ] } } }\n", "services.s.deploy.analysis.metrics[0].expr analysis metrics read what services serve: use app_rate, app_value or app_ratio (got error_ratio")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, metrics: {}, deploy: { analysis: { metrics: [ { name: pay, expr: 'app_rate(\"p_total\")[1m] > 1', max: 1 } ] } } }\n", "services.s.deploy.analysis.metrics[0].expr at column 25: expected the end of the expression")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, metrics: {}, deploy: { analysis: { metrics: [ { name: pay, expr: 'app_value(\"q\", revision=\"1\")' , max: 1 } ] } } }\n", "services.s.deploy.analysis.metrics[0].expr the rollout sets `revision` itself")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, metrics: {}, deploy: { analysis: { metrics: [ { name: pay, expr: 'app_value(\"q\")' } ] } } }\n", "services.s.deploy.analysis.metrics[0] needs at least one of `max`, `min`, `maxOverStable`")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, metrics: {}, deploy: { analysis: { metrics: [ { name: q, expr: 'app_value(\"q\")', max: 1 }, { name: q, expr: 'app_value(\"q\")', min: 1 } ] } } }\n", "services.s.deploy.analysis.metrics[1].name `q` is already the name of another metric")]
    [InlineData("app: a\nalerts: { inhibit: [ { source: {}, target: { severity: warning } } ] }\n", "alerts.inhibit[0].source needs at least one label")]
    [InlineData("app: a\nalerts: { inhibit: [ { source: { severity: critical }, equal: [service] } ] }\n", "alerts.inhibit[0].target needs at least one label")]
    [InlineData("app: a\nproxy: { trustedProxies: [10.0.0.0/33] }\n", "proxy.trustedProxies[0] must be an address range such as 10.0.0.0/8 or 2001:db8::/32, or one address; the prefix length after '/' is 0 to 32")]
    [InlineData("app: a\nproxy: { trustedProxies: [10.0.0.1/8] }\n", "proxy.trustedProxies[0] has bits set past the /8 prefix; the range is 10.0.0.0/8")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, deny: [office] }\n", "services.s.deny[0] must be an address range")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, routes: [ { allow: [\"2001:db8::/129\"] } ] }\n", "services.s.routes[0].allow[0] must be an address range such as 10.0.0.0/8 or 2001:db8::/32, or one address; the prefix length after '/' is 0 to 128")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, routes: [ { rateLimit: { rate: 0/s } } ] }\n", "services.s.routes[0].rateLimit.rate must allow more than 0")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, routes: [ { rateLimit: { rate: 5/m, key: user } } ] }\n", "services.s.routes[0].rateLimit.key must be client-ip, route or header:NAME")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, routes: [ { rateLimit: { rate: 5/m, key: \"header:\" } } ] }\n", "services.s.routes[0].rateLimit.key must be client-ip, route or header:NAME")]
    [InlineData("app: a\nproxy: { compression: { algorithms: [br, zstd] } }\n", "proxy.compression.algorithms[1] must be one of br, gzip (got \"zstd\")")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, routes: [ { waf: { allow: [ { rule: sqli-bool } ] } } ] }\n", "services.s.routes[0].waf.allow[0].rule is not a WAF rule or class (got \"sqli-bool\")")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, routes: [ { waf: { allow: [ { rule: xss, target: \"path:x\" } ] } } ] }\n", "services.s.routes[0].waf.allow[0].target must be path, or query, header, cookie or body")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, routes: [ { waf: { allow: [ { rule: xss, target: \"form:x\" } ] } } ] }\n", "services.s.routes[0].waf.allow[0].target must be path")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, routes: [ { waf: { allow: [ { target: query } ] } } ] }\n", "services.s.routes[0].waf.allow[0].rule")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, routes: [ { waf: { bodyLimit: 32KB } } ] }\n", "services.s.routes[0].waf.bodyLimit must be between 0 (no body inspection) and 16KB")]
    [InlineData("app: a\nservices:\n  s: { run: { command: x }, routes: [ { waf: { mode: watch } } ] }\n", "services.s.routes[0].waf.mode")]
    [InlineData("app: Shop\n", "app must be lowercase")]
    [InlineData("services: {}\n", "app is required")]
    public void Load_BrokenRule_ReportsItAtThePlace(string yaml, string expected)
    {
        var errors = Errors(yaml);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Matches(@"^app\.yaml:\d+:\d+: ", e));
    }

    [Theory]
    [InlineData("proxy:\n  trustedProxies: [10.0.0.0/8, 10.0.0.0/33]\n", "app.yaml:3:32: proxy.trustedProxies[1]")]
    [InlineData("services:\n  s:\n    run: { command: x }\n    routes:\n      - { path: /login, rateLimit: { rate: 0/s } }\n", "app.yaml:6:44: services.s.routes[0].rateLimit.rate")]
    [InlineData("proxy:\n  compression:\n    algorithms: [zstd]\n", "app.yaml:4:18: proxy.compression.algorithms[0]")]
    [InlineData("services:\n  s:\n    run: { command: x }\n    routes:\n      - { path: /login, waf: { allow: [ { rule: sqlx } ] } }\n", "app.yaml:6:49: services.s.routes[0].waf.allow[0].rule is not a WAF rule or class (got \"sqlx\")")]
    [InlineData("services:\n  s:\n    run: { command: x }\n    routes:\n      - { path: /login, waf: { mode: watch } }\n", "app.yaml:6:38: services.s.routes[0].waf.mode")]
    public void Load_EdgeKeyWithABadValue_PointsAtTheValue(string yaml, string expected) =>
        Assert.Contains(Errors("app: a\n" + yaml), e => e.StartsWith(expected, StringComparison.Ordinal));

    [Theory]
    [InlineData("services:\n  s:\n    run: { command: x }\n    slo: { availability: 99.9%, latency: 300ms }\n", "app.yaml:5:42: services.s.slo.latency is not supported yet: the SLO's alerts count failed requests only")]
    [InlineData("services:\n  s:\n    run: { command: x }\n    slo: { window: 7d }\n", "app.yaml:5:20: services.s.slo.window is not supported yet")]
    public void Load_KeyNotSupportedYet_RefusedAtItsPlace(string yaml, string expected) =>
        Assert.Contains(Errors("app: a\n" + yaml), e => e.StartsWith(expected, StringComparison.Ordinal));

    [Fact]
    public void Load_ForKubernetes_KeysOnlyTheMachineLacksAreAccepted()
    {
        const string Yaml = "app: a\nservices:\n  s:\n    run: { command: x }\n    slo: { availability: 99.9%, window: 7d }\n";

        Assert.False(ManifestLoader.LoadText(Yaml, "app.yaml", Path.GetTempPath()).IsValid);
        Assert.True(ManifestLoader.LoadText(Yaml, "app.yaml", Path.GetTempPath(), ManifestTarget.Kubernetes).IsValid);
    }

    [Fact]
    public void Load_EdgeKeys_Bound()
    {
        var manifest = Load("""
            app: a
            proxy: { trustedProxies: [10.0.0.0/8, "2001:db8::/32", 192.0.2.7] }
            services:
              s:
                run: { command: x }
                deny: [203.0.113.0/24]
                routes:
                  - { path: /admin, allow: [198.51.100.0/24], rateLimit: { rate: 5/m, key: "header:X-Api-Key" } }
            """).Manifest!;

        Assert.Equal(["10.0.0.0/8", "2001:db8::/32", "192.0.2.7/32"], manifest.Proxy.TrustedProxies.Select(n => n.ToString()));
        Assert.Equal("203.0.113.0/24", manifest.Services["s"].Deny.Single().ToString());
        Assert.Null(manifest.Services["s"].Allow);
        var route = manifest.Services["s"].Routes[0];
        Assert.Equal("198.51.100.0/24", route.Allow!.Single().ToString());
        Assert.Equal("X-Api-Key", route.RateLimit!.KeyHeader);
    }

    [Fact]
    public void Load_MergeKeyAndExtensionKey_ShareSettings()
    {
        var manifest = Load("""
            app: a
            x-base: &base { command: dotnet, args: [a.dll] }
            services:
              one: { run: { <<: *base, env: { A: "1" } } }
              two: { run: { <<: *base, command: other } }
            """).Manifest!;

        Assert.Equal("dotnet", manifest.Services["one"].Run!.Command);
        Assert.Equal(["a.dll"], manifest.Services["one"].Run!.Args);
        Assert.Equal("other", manifest.Services["two"].Run!.Command);
    }

    [Fact]
    public void Load_DuplicateKey_IsAnError()
    {
        var errors = Errors("app: a\napp: b\n");

        Assert.Equal(["app.yaml:2:1: repeats the key `app` (first at 1:1)"], errors);
    }

    [Fact]
    public void Load_AliasBomb_IsRejectedNotExpanded()
    {
        // 400 services sharing one alias of 400 routes: a small file that would bind 160,000 values.
        var routes = string.Join(", ", Enumerable.Range(0, 400).Select(i => $"{{ path: /r{i} }}"));
        var services = string.Concat(Enumerable.Range(0, 400).Select(i => $"  s{i}: *s\n"));
        var yaml = $"app: a\nx-r: &r [{routes}]\nx-s: &s {{ run: {{ command: x }}, routes: *r }}\nservices:\n{services}";

        var errors = Errors(yaml);

        var error = Assert.Single(errors);
        Assert.EndsWith("expands to more than 100000 values (through aliases?); a manifest is not that large", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DeepNesting_IsRejectedWithoutOverflow()
    {
        var yaml = "app: a\nx-deep: " + new string('[', 100_000) + new string(']', 100_000) + "\n";

        var errors = Errors(yaml);

        Assert.Contains(errors, e => e.Contains("nesting is deeper than 64 levels", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadFile_InvalidUtf8_NamesTheLine()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "bad.yaml");
        File.WriteAllBytes(path, [.. "app: a\nservices:\n  s: "u8, 0xC3, 0x28, (byte)'\n']);

        var errors = ManifestLoader.LoadFile(path).FormattedErrors.ToList();

        Assert.Equal([$"{path}:3:6: the file is not valid UTF-8"], errors);
    }

    [Fact]
    public void LoadFile_Missing_SaysSo()
    {
        var errors = ManifestLoader.LoadFile("/nonexistent/slipway.yaml").FormattedErrors.ToList();

        Assert.Equal(["/nonexistent/slipway.yaml:1:1: the manifest does not exist"], errors);
    }

    [Fact]
    public void Load_SyntaxError_IsOneCleanLine()
    {
        var errors = Errors("app: a\nservices:\n  s: { run: [\n");

        var error = Assert.Single(errors);
        Assert.StartsWith("app.yaml:", error, StringComparison.Ordinal);
        Assert.Contains("is not valid YAML", error, StringComparison.Ordinal);
    }
}
