using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Diff;

namespace Slipway.Core.Tests.Manifest;

public sealed class SensitiveValuesTests
{
    [Theory]
    [InlineData("run.env.LOG_LEVEL", "\"info\"", "\"(hidden)\"")]
    [InlineData("deploy.hooks.before.env.TOKEN", "\"abc\"", "\"(hidden)\"")]
    [InlineData("run.env", "{\"A\":\"1\",\"B\":\"2\"}", "{\"A\":\"(hidden)\",\"B\":\"(hidden)\"}")]
    [InlineData("routes[0].headers.Authorization", "\"Bearer xyz\"", "\"(hidden)\"")]
    [InlineData("routes[0].headers.X-Api-Key", "\"k\"", "\"(hidden)\"")]
    [InlineData("alerts.receivers.hook.webhook", "\"https://hooks.example.com/services/T0/secret\"", "\"https://hooks.example.com/...\"")]
    [InlineData("backups.main.postgres", "\"postgresql://app:pw@db:5432/shop\"", "\"postgresql://db:5432/...\"")]
    [InlineData("proxy.listen[0]", "\"http://127.0.0.1:8080\"", "\"http://127.0.0.1:8080\"")]
    [InlineData("run.secrets", "[\"DB_PASSWORD\"]", "[\"DB_PASSWORD\"]")]
    [InlineData("run.args", "[\"--db=postgresql://app:pw@db/shop\",\"-v\"]", "[\"--db=postgresql://db/...\",\"-v\"]")]
    [InlineData("replicas", "3", "3")]
    [InlineData("health.readiness", "{\"exec\":[\"curl\",\"http://u:p@x/health\"],\"period\":\"1s\"}", "{\"exec\":[\"curl\",\"http://x/...\"],\"period\":\"1s\"}")]
    public void Mask_ByPathAndValue_HidesEnvSecretsAndUrlCredentials(string path, string value, string shown)
    {
        var masked = SensitiveValues.Mask(new FieldChange(path, value, null));

        Assert.Equal(shown, masked.Before);
        Assert.Null(masked.After);
    }

    [Fact]
    public void MaskUrls_InFreeText_KeepsSchemeHostAndPort()
    {
        var text = "`migrate --db postgresql://app:hunter2@db.internal:5432/shop` exited with code 1: could not reach http://127.0.0.1:9093";

        Assert.Equal("`migrate --db postgresql://db.internal:5432/...` exited with code 1: could not reach http://127.0.0.1:9093",
            SensitiveValues.MaskUrls(text));
    }
}
