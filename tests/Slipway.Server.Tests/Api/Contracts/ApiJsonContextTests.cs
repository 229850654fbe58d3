using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Slipway.Control.Alerts;
using Slipway.Control.Analysis;
using Slipway.Control.Apply;
using Slipway.Control.Audit;
using Slipway.Backups.Catalog;
using Slipway.Control.Logs;
using Slipway.Control.Runtime;
using Slipway.Control.State;
using Slipway.Control.Supervision;
using Slipway.Core.Manifest.Model;
using Slipway.Server.Api;
using Slipway.Server.Api.Contracts;
using Slipway.Server.Auth;
using Slipway.Server.Cost;
using Slipway.Server.Preflight;

namespace Slipway.Server.Tests.Api.Contracts;

/// <summary>What the daemon writes, the CLI reads back whole: every type the context lists round-trips, every enum is a word.</summary>
public sealed class ApiJsonContextTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, 891, TimeSpan.Zero);

    private static readonly RolloutResponse Rollout = new("api", "5", "v5", "4", RolloutStrategy.Canary, RolloutPhase.Canary, 1, 3, true,
        new Dictionary<string, int> { ["4"] = 75, ["5"] = 25 }, At, 1, null, null, null,
        new AnalysisResponse(AnalysisVerdict.Fail, "error rate 4.2% > 1%", 120, 360, [new AnalysisCheck("error-rate", AnalysisVerdict.Fail, "error rate 4.2% > 1%")]));

    private static readonly JobRunResponse JobRun = new(7, "nightly", JobTrigger.Schedule, null, At, At.AddMinutes(3), 1, JobOutcome.Failed, "exit code 1", "cleaning\nno space left on device");

    private static readonly ServiceResponse Service = new()
    {
        Name = "api",
        Kind = ServiceKind.Run,
        Revision = "5",
        Version = "v5",
        Replicas = 2,
        Ready = 1,
        Health = ServiceHealth.Degraded,
        Secrets = ["DB_PASSWORD"],
        Rollout = Rollout,
        Address = null,
        DependsOn = [],
    };

    private static readonly InstanceStatus Instance = new("api-5-0", "api", "5", InstancePhase.BackingOff, false, null, 40123, 3, true, "exited 1", 12.5, 1 << 20)
    {
        CpuSeconds = 0.25,
    };

    /// <summary>One value per type the context lists, with every field set somewhere (nulls included).</summary>
    public static TheoryData<string> ListedTypes => [.. Samples.Keys.Select(Name)];

    private static Dictionary<Type, object> Samples { get; } = new()
    {
        [typeof(IReadOnlyList<ServiceResponse>)] = new List<ServiceResponse> { Service, Service with { Name = "db", Kind = ServiceKind.Upstream, Revision = null, Health = ServiceHealth.Upstream, Rollout = null } },
        [typeof(ServiceDetailResponse)] = new ServiceDetailResponse(Service, [new RevisionState("5", "v5", true, 2, 1, 0)], [Instance], ["DB_PASSWORD"]),
        [typeof(IReadOnlyList<InstanceStatus>)] = new List<InstanceStatus> { Instance },
        [typeof(ScaleRequest)] = new ScaleRequest(3),
        [typeof(ScaleResponse)] = new ScaleResponse("api", 1, 3),
        [typeof(RestartResponse)] = new RestartResponse("api", ["api-5-1"]),
        [typeof(DeployRequest)] = new DeployRequest("v6", true, "hotfix"),
        [typeof(RollbackRequest)] = new RollbackRequest("4"),
        [typeof(RolloutResponse)] = Rollout with { Outcome = RevisionOutcome.RolledBack, Message = "error rate", Finished = At },
        [typeof(IReadOnlyList<RevisionResponse>)] = new List<RevisionResponse> { new("5", "v5", true, At, "alice", "why", RevisionOutcome.Promoted, At.AddSeconds(90), 90.0), new("1", "v1", false, At, null, null, null, null, null) },
        [typeof(ApplyRequest)] = new ApplyRequest("app: x", "slipway.yaml", "abc123", true),
        [typeof(ApplyPlanResponse)] = new ApplyPlanResponse("abc123", false, ApplyRole.Admin,
            [new PlannedAction("api", ApplyActionKind.NeedsRestart, "listeners", ApplyRole.Admin, [new PlannedChange("run.env.A", null, "\"(hidden)\"", true, ApplyRole.Admin)])],
            ["api: revision 6 rolling out"]),
        [typeof(IReadOnlyList<EventRecord>)] = new List<EventRecord> { new(At, "api", "api-5-0", "started", "pid 42"), new(At, "api", null, "rollout", "m") },
        [typeof(IReadOnlyList<LogLineResponse>)] = new List<LogLineResponse> { new(At, "api", "5", "api-5-0", "stderr", LineLevel.Warn, "slow", At, "{\"msg\":\"slow\"}") },
        [typeof(IReadOnlyList<SecretResponse>)] = new List<SecretResponse> { new("DB_PASSWORD", At, ["api"]) },
        [typeof(SecretSetRequest)] = new SecretSetRequest("s3cr3t"),
        [typeof(SecretSetResponse)] = new SecretSetResponse("DB_PASSWORD", ["api", "worker"], ["api"]),
        [typeof(IReadOnlyList<TokenResponse>)] = new List<TokenResponse> { new("ci", ApiRole.Deployer, At) },
        [typeof(TokenCreateRequest)] = new TokenCreateRequest("ci", "deployer"),
        [typeof(TokenCreatedResponse)] = new TokenCreatedResponse("ci", ApiRole.Admin, "slw_x"),
        [typeof(IReadOnlyList<AuditEntry>)] = new List<AuditEntry>
        {
            new(7, At, "alice", "POST", "/api/v1/tokens", new Dictionary<string, string> { ["name"] = "ci" }, "127.0.0.1", 201, "aa", "bb") { Phase = AuditPhase.Result },
            new(8, At, "-", "POST", "/x", new Dictionary<string, string>(), "-", 200, "bb", "cc"),
        },
        [typeof(AuditVerification)] = new AuditVerification(false, 7, 3, 4, "hash does not match", 7, "cc"),
        [typeof(StreamEnd)] = new StreamEnd("token ci was revoked"),
        [typeof(IReadOnlyList<AlertResponse>)] = new List<AlertResponse>
        {
            new("HighErrors", AlertState.Firing, "page", new Dictionary<string, string> { ["service"] = "api" }, new Dictionary<string, string> { ["summary"] = "s" }, 0.042, At, At, "silence 1"),
        },
        [typeof(IReadOnlyList<SilenceResponse>)] = new List<SilenceResponse> { new("s1", ["service=api"], At, At.AddHours(1), "alice", "deploy") },
        [typeof(SilenceRequest)] = new SilenceRequest(["service=api", "severity!=info"], "2h", "deploy"),
        [typeof(SilenceResponse)] = new SilenceResponse("s1", ["service=api"], At, At.AddHours(1), "alice", ""),
        [typeof(ServiceMetricsResponse)] = new ServiceMetricsResponse("api", At, At.AddMinutes(2), 60, [new("5", [new(At.AddMinutes(1), 12.5, 0.01, 3.2, 9.5, 20.1), new(At.AddMinutes(2), 0, 0, null, null, null)])]),
        [typeof(BackupResponse)] = new BackupResponse("main-db-20260103T000000Z", BackupStatus.Succeeded, At, 1.5, 2048, null, null, "S3 refused it (403 InvalidAccessKeyId)"),
        [typeof(IReadOnlyList<BackupSetResponse>)] = new List<BackupSetResponse>
        {
            new("main-db", "logical", "/var/backups/shop", "0 2 * * *", "@weekly", 3600, 86400,
                [new("main-db-20260101T000000Z", BackupStatus.Succeeded, At, 2.5, 4096, null, new VerificationResponse(At, 7.1, true, null, 1), null),
                 new("main-db-20260102T000000Z", BackupStatus.Failed, At, 0.3, 0, "pg_dump failed", null, null)],
                [new(At, "main-db", null, "backup-verified", "drill of main-db-20260101T000000Z: RTO 7.1s, RPO 0.0s")], ["x.backup.json: bad JSON"]),
        },
        [typeof(SessionRequest)] = new SessionRequest("slw_x"),
        [typeof(SessionResponse)] = new SessionResponse("alice", ApiRole.Viewer, At.AddHours(12), "csrf"),
        [typeof(MaintenanceRequest)] = new MaintenanceRequest("api", "30s", "<h1>soon</h1>", "text/html; charset=utf-8"),
        [typeof(MaintenanceResponse)] = new MaintenanceResponse(null, "30s", "text/plain; charset=utf-8", 37, At, "ops"),
        [typeof(MaintenanceStateResponse)] = new MaintenanceStateResponse(new MaintenanceResponse(null, "0s", "text/plain; charset=utf-8", 37, At, "ops"), [new MaintenanceResponse("api", "1m", "text/html; charset=utf-8", 14, At, "ci")]),
        [typeof(MaintenanceOffResponse)] = new MaintenanceOffResponse(true, false),
        [typeof(IReadOnlyList<CertificateResponse>)] = new List<CertificateResponse>
        {
            new("acme:shop.example.com", CertificateSource.Acme, ["shop.example.com"], "R11", At.AddDays(90), 89, At, "issued by R11", true, At.AddDays(60)),
            new("certs/site.pem", CertificateSource.File, ["example.com", "*.example.com"], "Example CA", At.AddDays(30), 29, null, null, null, null),
        },
        [typeof(IReadOnlyList<JobResponse>)] = new List<JobResponse> { new("nightly", "0 3 * * *", "Europe/Berlin", JobConcurrency.Replace, "20m", "api", At, 1, JobRun) },
        [typeof(IReadOnlyList<JobRunResponse>)] = new List<JobRunResponse> { JobRun, JobRun with { Id = 8, Trigger = JobTrigger.Manual, By = "ci", Ended = null, ExitCode = null, Outcome = JobOutcome.Running, LogTail = "" } },
        [typeof(JobRunResponse)] = JobRun with { Outcome = JobOutcome.TimedOut, ExitCode = null, Message = "stopped after its 20m timeout" },
        [typeof(PreflightReport)] = PreflightReport.Of(
        [
            new PreflightFinding("secrets", "services.api.run.secrets: DB_PASSWORD", PreflightStatus.Fail, "secret DB_PASSWORD is not set", "slipway secrets set DB_PASSWORD", "api"),
            PreflightFinding.Ok("backups", "backup main-db", "newest success main-db-1"),
            new PreflightFinding("clock", "clock", PreflightStatus.Skipped, "skipped: no NTP server to ask", null),
            new PreflightFinding("alerts", "alerts.rules", PreflightStatus.Warn, "built-in rules that page are off: instance-down", "add instance-down to alerts.rules"),
        ]),
        [typeof(CostMeasurements)] = new CostMeasurements(300, 4096, 0, [new ServiceMeasurement("api", 3, 0.25, 100 << 20, 12.5, 2048), new ServiceMeasurement("web", 0, null, null, 0, null)],
            [new BackupMeasurement("main-db", 1 << 20), new BackupMeasurement("other", null)]),
        [typeof(CostReport)] = new CostReport("shop", "the default price table", "AWS", "2026-12-05", "USD", false,
            [new CostEstimate("1k", 1000, [new ServiceCost("api", 3, 0.5, 0.25, 2, 1.5, 46.2, 0.13, 46.33, ["cpu"], ["rps"], "autoscale by rpsPerInstance 200")],
                [new StorageCost("logs", 1, "disk", 0.08, false, "logs.maxSize 1GB")], 46.41, new KubernetesCost("m7i.large", 1, 1.5, 0.75, 73.58))]),
        [typeof(JsonObject)] = new JsonObject { ["name"] = "ci", ["revoked"] = true },
        [typeof(JsonElement)] = JsonSerializer.SerializeToElement(1, ApiJson.Info<int>()),
    };

    [Fact]
    public void Samples_CoverEveryTypeTheContextLists()
    {
        var listed = typeof(ApiJsonContext).GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(JsonSerializableAttribute))
            .Select(a => (Type)a.ConstructorArguments[0].Value!)
            .ToHashSet();

        Assert.Equal(listed.Select(Name).Order(), Samples.Keys.Select(Name).Order());
    }

    [Theory]
    [MemberData(nameof(ListedTypes))]
    public void Type_WrittenThenRead_WritesTheSameJson(string type)
    {
        var (key, sample) = Samples.Single(s => Name(s.Key) == type);
        var info = ApiJson.Options.GetTypeInfo(key);

        var written = JsonSerializer.Serialize(sample, info);
        var read = JsonSerializer.Deserialize(written, info);

        Assert.Equal(written, JsonSerializer.Serialize(read, info));
    }

    [Fact]
    public void Enums_EveryOneOnTheWire_AreKebabCaseWords()
    {
        var enums = new HashSet<Type>();
        var seen = new HashSet<Type>();
        foreach (var type in Samples.Keys)
        {
            Walk(ApiJson.Options.GetTypeInfo(type), enums, seen);
        }

        Assert.Contains(typeof(ServiceHealth), enums);
        foreach (var type in enums)
        {
            foreach (var value in Enum.GetValues(type))
            {
                var expected = "\"" + JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString()!) + "\"";
                Assert.Equal(expected, JsonSerializer.Serialize(value, ApiJson.Options.GetTypeInfo(type)));
            }
        }
    }

    [Fact]
    public void Options_ReadingNumbersFromStrings_Refused()
    {
        // ASP.NET Core's web defaults read "3" as 3; the API never did, so a quoted number stays a wrong type.
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"replicas": "3"}""", ApiJson.Info<ScaleRequest>()));
    }

    private static void Walk(JsonTypeInfo info, HashSet<Type> enums, HashSet<Type> seen)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (!seen.Add(type))
        {
            return;
        }

        if (type.IsEnum)
        {
            enums.Add(type);
            return;
        }

        var next = info.Kind switch
        {
            JsonTypeInfoKind.Object => info.Properties.Select(p => p.PropertyType),
            JsonTypeInfoKind.Enumerable => [info.ElementType!],
            JsonTypeInfoKind.Dictionary => [info.KeyType!, info.ElementType!],
            _ => [],
        };
        foreach (var child in next.Where(t => t != typeof(object)))
        {
            Walk(ApiJson.Options.GetTypeInfo(Nullable.GetUnderlyingType(child) ?? child), enums, seen);
        }
    }

    private static string Name(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(",", type.GetGenericArguments().Select(Name))}>"
        : type.Name;
}
