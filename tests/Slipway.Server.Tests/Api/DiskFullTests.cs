using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Slipway.Testing;

namespace Slipway.Server.Tests.Api;

/// <summary>
/// The state directory's disk fills up under a running daemon: a change is refused with 507 and not made, the
/// instances keep running, the daemon says once that the disk is full, and the audit chain stays whole.
/// </summary>
public sealed class DiskFullTests : IAsyncLifetime
{
    // No reserve: the refusal comes from the failed write itself, the harder case (the reserve refuses earlier).
    private readonly DaemonFixture _daemon = new()
    {
        OnSmallDisk = true,
        DiskReserveBytes = 0,
        Manifest = demo => $$"""
            app: disk-test
            services:
              api:
                run: { command: dotnet, args: ["{{demo}}"] }
                replicas: 1
                routes: [ { path: / } ]
                health:
                  readiness: { http: /ready, period: 300ms, timeout: 300ms }
                stop: { drainTimeout: 1s, gracePeriod: 3s }
            """,
    };

    public Task InitializeAsync() => _daemon.InitializeAsync();

    [Fact]
    public async Task Scale_DiskFull_Is507AndNothingChanges_ThenWorksOnceThereIsRoom()
    {
        using var admin = _daemon.Client(_daemon.AdminToken);
        await Wait.UntilAsync(async () => (await ServiceAsync(admin)).GetProperty("ready").GetInt32() == 1, "the instance to be ready");
        var pid = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/instances"))[0].GetProperty("pid").GetInt32();
        _daemon.Disk!.Fill();

        foreach (var replicas in new[] { 2, 0, 3 })
        {
            using var refused = await ScaleAsync(admin, replicas);
            Assert.True(refused.StatusCode == HttpStatusCode.InsufficientStorage, $"{(int)refused.StatusCode}: {await refused.Content.ReadAsStringAsync()}\n{_daemon.Output}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("full", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var service = await ServiceAsync(admin);
        Assert.Equal((1, 1), (service.GetProperty("replicas").GetInt32(), service.GetProperty("ready").GetInt32()));
        Assert.Equal(pid, (await admin.GetFromJsonAsync<JsonElement>("/api/v1/instances"))[0].GetProperty("pid").GetInt32());
        Assert.Single(Lines("disk-full"));
        Assert.DoesNotContain("Exception", _daemon.Output.ToString(), StringComparison.Ordinal);

        _daemon.Disk.Free();
        using (var scaled = await ScaleAsync(admin, 2))
        {
            Assert.Equal(HttpStatusCode.OK, scaled.StatusCode);
        }

        await Wait.UntilAsync(async () => (await ServiceAsync(admin)).GetProperty("ready").GetInt32() == 2, "two ready instances");
        Assert.Single(Lines("disk-ok"));
        var verify = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify");
        Assert.True(verify.GetProperty("valid").GetBoolean(), verify.ToString());
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("route").GetString() == "/api/v1/services/{name}/scale" && e.GetProperty("status").GetInt32() == 200);
    }

    [Fact]
    public async Task Scale_BelowTheReserve_Is507AuditedAsRefusedWithTheReasonAndNoIntent()
    {
        // A reserve larger than the whole 4 MB disk: every change is refused up front, while entries still fit.
        var reserved = new DaemonFixture { OnSmallDisk = true, DiskReserveBytes = 64L << 20 };
        await reserved.InitializeAsync();
        try
        {
            using var admin = reserved.Client(reserved.AdminToken);

            using var refused = await ScaleAsync(admin, 2);

            Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
            var audit = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit")).EnumerateArray()
                .Where(e => e.GetProperty("route").GetString() == "/api/v1/services/{name}/scale").ToList();
            var entry = Assert.Single(audit);
            Assert.Equal((507, "result"), (entry.GetProperty("status").GetInt32(), entry.GetProperty("phase").GetString()));
            Assert.Contains("bytes free", entry.GetProperty("arguments").GetProperty("refused").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await reserved.DisposeAsync();
        }
    }

    private IEnumerable<string> Lines(string kind) =>
        _daemon.Output.ToString().Split('\n').Where(l => l.Contains($" {kind} ", StringComparison.Ordinal));

    private static Task<HttpResponseMessage> ScaleAsync(HttpClient client, int replicas) =>
        client.PostAsync("/api/v1/services/api/scale", new StringContent($$"""{"replicas": {{replicas}}}""", Encoding.UTF8, "application/json"));

    private static Task<JsonElement> ServiceAsync(HttpClient client) => client.GetFromJsonAsync<JsonElement>("/api/v1/services/api");

    public Task DisposeAsync() => _daemon.DisposeAsync();
}
