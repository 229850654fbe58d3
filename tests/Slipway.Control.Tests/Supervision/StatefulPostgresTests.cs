using Slipway.Backups.Postgres;
using Slipway.Testing;

namespace Slipway.Control.Tests.Supervision;

/// <summary>
/// Debian's PostgreSQL run as a stateful service, as the examples run it: as the postgres user when the daemon is root,
/// its empty data directory initialised once by <c>init</c> with the password secret, stopped with SIGINT (a fast,
/// clean shutdown) and started again on the same data.
/// </summary>
public sealed class StatefulPostgresTests
{
    private const string Password = "pg-test-secret";

    [Fact]
    public async Task Start_Postgres_InitOnceAsItsUserThenDataSurvivesACleanStopAndStart()
    {
        var binaries = PostgresBinaries.Locate();
        var psql = binaries.Psql;
        var port = FreePort.Next();
        await using var f = new SupervisorFixture($$"""
            app: t
            services:
              db:
                stateful: true
                port: {{port}}
                url: postgresql://app@127.0.0.1:${PORT}/postgres
                run:
                  command: postgres
                  args: ["-D", "${DATA_DIR}", "-p", "${PORT}", "-k", "${DATA_DIR}", "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"]
                  user: postgres
                  secrets: [DB_PASSWORD]
                init:
                  command: sh
                  args: ["-c", 'printf "%s\n" "$DB_PASSWORD" | "$INITDB" -D "$SLIPWAY_DATA_DIR" -U app --auth-local=trust --auth-host=scram-sha-256 --pwfile=/dev/stdin --no-sync']
                  env: { INITDB: "{{binaries.InitDb}}" }
                  timeout: 2m
                stop: { signal: sigint }
              api:
                dependsOn: [db]
                run: { command: sh, args: ["-c", "echo \"$SLIPWAY_DB_URL\" > url; exec sleep 60"] }
                stop: { gracePeriod: 1s }
            """, secrets: new Dictionary<string, string> { ["DB_PASSWORD"] = Password });
        await f.Supervisor.StartAsync();

        await Wait.UntilAsync(() => f.Events.Any(e => e.Service == "api" && e.Kind == "started"), "PostgreSQL to be initialised and ready, then api to start", seconds: 120);
        Assert.Contains("prepared the empty data directory", Assert.Single(f.Of("initialized")).Message, StringComparison.Ordinal);
        await Wait.UntilAsync(() => File.Exists(f.Directory.Combine("url")), "api's url file");
        Assert.Equal($"postgresql://app@127.0.0.1:{port}/postgres", File.ReadAllText(f.Directory.Combine("url")).Trim());
        await SqlAsync(psql, port, "create table kept (v text); insert into kept values ('across restarts')");
        var dataDirectory = Path.Combine(f.StateDirectory, "data", "db");
        if (Environment.UserName == "root")
        {
            Assert.Equal("postgres", await StatOwner(dataDirectory));
        }

        await f.Supervisor.StopAsync();
        await using var again = f.Restarted();
        await again.StartAsync();
        await Wait.UntilAsync(() => again.Instances().Any(i => i.Service == "db" && i.Ready), "PostgreSQL to start again on its data", seconds: 120);

        Assert.Equal("across restarts", await SqlAsync(psql, port, "select v from kept"));
        Assert.Single(f.Of("initialized"));
        var second = again.Instances().Single(i => i.Service == "db").Id;
        var log = await File.ReadAllTextAsync(Path.Combine(f.StateDirectory, "logs", "db", second + ".stderr.raw"));
        Assert.Contains("database system was shut down at", log, StringComparison.Ordinal);
    }

    /// <summary>Runs SQL as app with the password over TCP, retrying while the server still starts; returns the unaligned output.</summary>
    private static async Task<string> SqlAsync(string psql, int port, string sql)
    {
        var url = $"postgresql://app:{Password}@127.0.0.1:{port}/postgres";
        var last = "";
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var (code, output) = await ExternalTool.RunAsync(psql, [url, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql]);
            if (code == 0)
            {
                return output.Trim();
            }

            last = output;
            await Task.Delay(500);
        }

        Assert.Fail($"psql never succeeded: {last}");
        return "";
    }

    private static async Task<string> StatOwner(string path)
    {
        var (_, output) = await ExternalTool.RunAsync("stat", ["-c", "%U", path]);
        return output.Trim();
    }
}
