using System.Net.Http.Json;
using System.Text.Json;
using Slipway.Control.Audit;

namespace Slipway.Server.Tests.Api;

/// <summary>
/// Someone who can write <c>audit.log</c> (the daemon's user) removes an entry and recomputes the chain with the
/// published algorithm, as a 25-line script would: the real daemon's <c>audit verify</c> must say it was changed.
/// </summary>
public sealed class AuditTamperTests : IClassFixture<DaemonFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly DaemonFixture _daemon;

    public AuditTamperTests(DaemonFixture daemon) => _daemon = daemon;

    private string AuditFile => Path.Combine(_daemon.StateDir, AuditLog.FileName);

    [Fact]
    public async Task Verify_EntryRemovedAndTheRestRehashed_Broken()
    {
        using var admin = _daemon.Client(_daemon.AdminToken);
        var names = new[] { "ci-a", "ci-b", "ci-c" }.Select(n => n + "-" + Guid.NewGuid().ToString("N")[..6]).ToList();
        foreach (var name in names)
        {
            (await admin.PostAsJsonAsync("/api/v1/tokens", new { name, role = "viewer" })).Dispose();
        }

        var before = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify");
        Assert.True(before.GetProperty("valid").GetBoolean(), before.ToString());

        // Drop the entry that issued the second token; renumber and re-chain everything after it.
        var entries = File.ReadAllLines(AuditFile).Select(l => JsonSerializer.Deserialize<AuditEntry>(l, Json)!).ToList();
        entries.RemoveAll(e => e.Arguments.GetValueOrDefault("name") == names[1]);
        var previous = AuditChain.Genesis;
        var rewritten = new List<string>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i] with { Seq = i + 1, Previous = previous };
            entry = entry with { Hash = Rehash(entry) };
            previous = entry.Hash;
            rewritten.Add(JsonSerializer.Serialize(entry, Json));
        }

        await File.WriteAllLinesAsync(AuditFile, rewritten);

        var after = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify");
        Assert.False(after.GetProperty("valid").GetBoolean(), "a re-hashed deletion passed verification: " + after);
    }

    /// <summary>What the attacker can compute: the chain's algorithm, with a key of their own (not the master key the chain's is derived from).</summary>
    private static string Rehash(AuditEntry entry) => AuditChain.Mac(entry, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}
