using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Slipway.Server.Tests.Api;

/// <summary>What the audit log records of an apply and a silence, over the real daemon: what changed, and an intent before the act.</summary>
public sealed class AuditTrailTests : IClassFixture<AlertingDaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public AuditTrailTests(AlertingDaemonFixture fixture) => _daemon = fixture.Daemon;

    [Fact]
    public async Task Apply_RecordsTheManifestHashAndThePlan_IntentBeforeResult()
    {
        using var admin = _daemon.Client(_daemon.AdminToken);
        var manifest = (await File.ReadAllTextAsync(_daemon.ManifestPath)).Replace("replicas: 1", "replicas: 1\n    loadBalancing: round-robin", StringComparison.Ordinal);

        using (var applied = await admin.PostAsJsonAsync("/api/v1/apply", new { manifest, file = "tuned.yaml" }))
        {
            Assert.True(applied.StatusCode == HttpStatusCode.OK, await applied.Content.ReadAsStringAsync());
        }

        var entries = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit")).EnumerateArray().Where(e => Text(e, "route") == "/api/v1/apply").ToList();
        var intent = Assert.Single(entries, e => Text(e, "phase") == "intent");
        var result = Assert.Single(entries, e => Text(e, "phase") == "result");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest)));
        Assert.Equal(sha256, Argument(intent, "manifest.sha256"));
        Assert.Contains("api: update", Argument(intent, "changes"), StringComparison.Ordinal);
        Assert.Contains("loadBalancing", Argument(intent, "changes"), StringComparison.Ordinal);
        Assert.True(intent.GetProperty("seq").GetInt64() < result.GetProperty("seq").GetInt64());
        Assert.Equal(intent.GetProperty("seq").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), Argument(result, "intent"));
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal(sha256, Argument(result, "manifest.sha256"));
    }

    [Fact]
    public async Task Silence_RecordsMatchersDurationAndComment()
    {
        using var admin = _daemon.Client(_daemon.AdminToken);
        var comment = "maintenance " + Guid.NewGuid().ToString("N")[..8];

        using (var created = await admin.PostAsJsonAsync("/api/v1/silences", new { matchers = new[] { "service=api", "severity!=info" }, @for = "30m", comment }))
        {
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }

        var entry = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit")).EnumerateArray()
            .Single(e => Text(e, "route") == "/api/v1/silences" && Text(e, "phase") == "result" && Argument(e, "comment") == comment);
        Assert.Equal("service=\"api\", severity!=\"info\"", Argument(entry, "matchers"));
        Assert.Equal("30m", Argument(entry, "for"));
        Assert.NotEqual("-", Argument(entry, "id"));
    }

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "-";

    private static string Argument(JsonElement e, string name) => Text(e.GetProperty("arguments"), name);
}
