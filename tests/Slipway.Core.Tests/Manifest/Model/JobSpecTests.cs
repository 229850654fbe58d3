using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Model;

namespace Slipway.Core.Tests.Manifest.Model;

/// <summary>The <c>jobs:</c> section: what it reads and what it refuses, at the key.</summary>
public sealed class JobSpecTests
{
    private static ManifestLoadResult Load(string yaml) => ManifestLoader.LoadText(yaml.ReplaceLineEndings("\n"), "app.yaml", Path.GetTempPath());

    private static IReadOnlyList<string> Errors(string yaml) => Load(yaml).FormattedErrors.ToList();

    [Fact]
    public void Load_Job_ReadsEveryKey()
    {
        var manifest = Load("""
            app: a
            services:
              api: { run: { command: sleep } }
            jobs:
              nightly:
                run: "sh -c 'echo ${JOB} ${VERSION}'"
                schedule: "0 3 * * *"
                timeZone: Europe/Berlin
                timeout: 20m
                concurrency: replace
                service: api
                env: { MODE: full }
                secrets: [TOKEN]
                gracePeriod: 3s
              by-hand:
                run: { command: "true", args: [] }
            """).Manifest!;

        var job = manifest.Jobs["nightly"];
        Assert.Equal("sh", job.Run.Command);
        Assert.Equal(["-c", "echo ${JOB} ${VERSION}"], job.Run.Args);
        Assert.Equal("0 3 * * *", job.Schedule!.ToString());
        Assert.Equal("Europe/Berlin", job.Zone(TimeZoneInfo.Utc).Id);
        Assert.Equal(TimeSpan.FromMinutes(20), job.Timeout);
        Assert.Equal(JobConcurrency.Replace, job.Concurrency);
        Assert.Equal("api", job.Service);
        Assert.Equal(["TOKEN"], job.Secrets);
        Assert.Equal(TimeSpan.FromSeconds(3), job.GracePeriod);
        var byHand = manifest.Jobs["by-hand"];
        Assert.Null(byHand.Schedule);
        Assert.Equal(JobConcurrency.Forbid, byHand.Concurrency);
        Assert.Equal(TimeSpan.FromHours(1), byHand.Timeout);
    }

    [Fact]
    public void Load_JobWhoseCommandIsMissing_ErrorAtRunWithLineAndColumn()
    {
        var errors = Errors("""
            app: a
            jobs:
              cleanup:
                run: no-such-program-anywhere --now
                schedule: "@daily"
            """);

        var error = Assert.Single(errors);
        Assert.StartsWith("app.yaml:4:10: jobs.cleanup.run command no-such-program-anywhere was not found on PATH", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  x:\n    schedule: \"@daily\"\n", "app.yaml:3:3: jobs.x.run is required")]
    [InlineData("  x:\n    run: \"true\"\n    schedule: \"61 * * * *\"\n", "app.yaml:5:15: jobs.x.schedule")]
    [InlineData("  x:\n    run: \"true\"\n    timeZone: Mars/Olympus\n", "app.yaml:5:15: jobs.x.timeZone is not a time zone this machine knows")]
    [InlineData("  x:\n    run: \"true\"\n    concurrency: sometimes\n", "app.yaml:5:18: jobs.x.concurrency must be one of forbid, allow, replace")]
    [InlineData("  x:\n    run: \"true\"\n    service: nope\n", "app.yaml:5:14: jobs.x.service names the service `nope`, which is not in `services`")]
    [InlineData("  x:\n    run: \"echo ${VERSION}\"\n", "app.yaml:4:10: jobs.x.run uses ${VERSION}, which only a job with `service:` has")]
    [InlineData("  x:\n    run: \"echo ${PORT}\"\n", "app.yaml:4:10: jobs.x.run uses ${PORT}, which Slipway does not fill in a job")]
    [InlineData("  x:\n    run: \"true\"\n    secrets: [A]\n    env: { A: b }\n", "jobs.x.secrets[0] names A, which `env` also sets")]
    [InlineData("  x:\n    run: \"true\"\n    workdir: no-such-dir\n", "jobs.x.workdir names a directory that does not exist")]
    [InlineData("  Bad_Name:\n    run: \"true\"\n", "jobs.Bad_Name is not a valid name")]
    public void Load_BadJob_ClearErrorAtTheKey(string jobs, string expected)
    {
        var errors = Errors("app: a\njobs:\n" + jobs);

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal) || e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_JobOfAnUpstream_Refused()
    {
        var errors = Errors("app: a\nservices:\n  db: { upstream: [\"127.0.0.1:5432\"] }\njobs:\n  x: { run: \"true\", service: db }\n");

        Assert.Contains(errors, e => e.Contains("jobs.x.service names db, an upstream", StringComparison.Ordinal));
    }
}
