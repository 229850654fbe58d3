using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Model;

namespace Slipway.Core.Tests.Manifest.Model;

/// <summary><c>stateful: true</c>: one instance on a data directory, so nothing that would run two is accepted.</summary>
public sealed class StatefulRulesTests
{
    private static ManifestLoadResult Load(string yaml) => ManifestLoader.LoadText(yaml.ReplaceLineEndings("\n"), "app.yaml", Path.GetTempPath());

    private static IReadOnlyList<string> Errors(string yaml) => Load(yaml).FormattedErrors.ToList();

    [Fact]
    public void Load_StatefulWithTwoReplicasAndACanary_ErrorsAtEachKeyWithLineAndColumn()
    {
        var errors = Errors("""
            app: shop
            services:
              db:
                stateful: true
                run: { command: redis-server }
                replicas: 2
                deploy:
                  strategy: canary
                  steps: [ { weight: 50 } ]
            """);

        Assert.Equal(
        [
            "app.yaml:6:15: services.db.replicas must be 0 or 1 for a stateful service: one instance owns its data directory (got 2)",
            "app.yaml:8:17: services.db.deploy.strategy must be rolling for a stateful service, which is replaced stop-then-start; canary would run two instances on one data directory",
        ], errors);
    }

    [Theory]
    [InlineData("    deploy: { strategy: blue-green }\n", "services.db.deploy.strategy must be rolling for a stateful service")]
    [InlineData("    deploy: { maxSurge: 1 }\n", "services.db.deploy.maxSurge must be 0 for a stateful service")]
    [InlineData("    deploy: { maxUnavailable: 0 }\n", "services.db.deploy.maxUnavailable cannot be 0 for a stateful service")]
    [InlineData("    autoscale: { max: 3, cpu: 50% }\n", "services.db.autoscale cannot scale a stateful service")]
    [InlineData("    url: \"not a url\"\n", "services.db.url must be a URL such as postgresql://")]
    [InlineData("    url: \"redis://127.0.0.1:${INSTANCE}\"\n", "services.db.url uses ${INSTANCE}; a url can use only ${PORT} and ${SERVICE}")]
    [InlineData("    init: \"initdb -D ${NOPE}\"\n", "services.db.init.args[1] uses ${NOPE}, which Slipway does not fill")]
    public void Load_StatefulRefusesWhatWouldRunTwoOrCannotWork(string extra, string expected)
    {
        var errors = Errors("app: a\nservices:\n  db:\n    stateful: true\n    run: { command: redis-server }\n" + extra);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_StatefulWithAutoscale_OneErrorNotTheAutoscalerDetails()
    {
        // Without routes, rpsPerInstance and the bounds would each add an error of their own for a key that is refused whole.
        var errors = Errors("app: a\nservices:\n  db:\n    stateful: true\n    run: { command: redis-server }\n    autoscale: { min: 2, max: 3, rpsPerInstance: 10 }\n");

        Assert.Equal(["app.yaml:6:16: services.db.autoscale cannot scale a stateful service: it runs one instance"], errors);
    }

    [Fact]
    public void Load_StatefulUpstream_Refused()
    {
        var errors = Errors("app: a\nservices:\n  db:\n    stateful: true\n    upstream: [\"127.0.0.1:5432\"]\n");

        Assert.Contains("app.yaml:4:15: services.db.stateful needs `run`: Slipway runs a stateful service's one instance itself (an `upstream` is run by someone else)", errors);
    }

    [Theory]
    [InlineData("    port: 6379\n", "services.api.port applies only to a stateful service (`stateful: true`)")]
    [InlineData("    url: \"redis://x\"\n", "services.api.url applies only to a stateful service (`stateful: true`)")]
    [InlineData("    init: \"true\"\n", "services.api.init applies only to a stateful service (`stateful: true`)")]
    public void Load_StatefulKeysOnAnotherService_Refused(string extra, string expected)
    {
        var errors = Errors("app: a\nservices:\n  api:\n    run: { command: sleep }\n" + extra);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_DataDirOnAServiceThatIsNotStateful_ErrorAtTheArgument()
    {
        var errors = Errors("app: a\nservices:\n  api:\n    run: { command: sleep, args: [\"${DATA_DIR}\"] }\n");

        Assert.Equal(["app.yaml:4:35: services.api.run.args[0] uses ${DATA_DIR}, which only a stateful service has (`stateful: true`)"], errors);
    }

    [Fact]
    public void Load_StatefulPortTakenByAnInternalListener_ErrorNamesTheOther()
    {
        var errors = Errors("app: a\nservices:\n  api:\n    run: { command: sleep }\n    internal: { port: 6379 }\n  cache:\n    stateful: true\n    port: 6379\n    run: { command: redis-server }\n");

        Assert.Contains("app.yaml:8:11: services.cache.port uses port 6379, which services.api.internal.port already uses", errors);
    }

    [Fact]
    public void Load_StatefulDefaults_LongerGraceStopThenStartAndTcpReadiness()
    {
        var manifest = Load("app: a\nservices:\n  db:\n    stateful: true\n    run: { command: redis-server }\n  api:\n    run: { command: sleep }\n").Manifest!;

        var db = manifest.Services["db"];
        Assert.Equal(TimeSpan.FromSeconds(60), db.Stop.GracePeriod);
        Assert.Equal("0", db.Deploy.MaxSurge);
        Assert.Equal("1", db.Deploy.MaxUnavailable);
        Assert.True(db.Health.Readiness!.Tcp);
        Assert.Equal(TimeSpan.FromSeconds(1), db.Health.Readiness.Period);
        var api = manifest.Services["api"];
        Assert.Equal(TimeSpan.FromSeconds(10), api.Stop.GracePeriod);
        Assert.Equal("25%", api.Deploy.MaxSurge);
        Assert.Null(api.Health.Readiness);
    }

    [Fact]
    public void Load_StatefulWithWrittenSettings_KeepsThem()
    {
        var db = Load("""
            app: a
            services:
              db:
                stateful: true
                run: { command: redis-server }
                stop: { gracePeriod: 5s, signal: sigint }
                health: { readiness: { exec: [redis-cli, ping], period: 2s } }
            """).Manifest!.Services["db"];

        Assert.Equal(TimeSpan.FromSeconds(5), db.Stop.GracePeriod);
        Assert.Equal(StopSignal.Sigint, db.Stop.Signal);
        Assert.Equal(2, db.Stop.SignalNumber);
        Assert.Equal(["redis-cli", "ping"], db.Health.Readiness!.Exec);
    }

    [Theory]
    [InlineData("redis-server", null, "redis://127.0.0.1:6380")]
    [InlineData("/usr/lib/postgresql/17/bin/postgres", null, "postgresql://127.0.0.1:6380")]
    [InlineData("./start-db.sh", null, "tcp://127.0.0.1:6380")]
    [InlineData("postgres", "postgresql://app@127.0.0.1:${PORT}/${SERVICE}", "postgresql://app@127.0.0.1:6380/main-db")]
    public void StatefulUrls_ByProgramOrTemplate(string command, string? url, string expected)
    {
        var spec = new ServiceSpec { Stateful = true, Url = url, Run = new RunSpec { Command = command } };

        Assert.Equal(expected, StatefulUrls.For("main-db", spec, 6380));
        Assert.Equal("SLIPWAY_MAIN_DB_URL", StatefulUrls.VariableName("main-db"));
    }
}
