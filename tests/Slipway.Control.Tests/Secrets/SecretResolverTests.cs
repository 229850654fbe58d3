using Slipway.Control.Secrets;

namespace Slipway.Control.Tests.Secrets;

public sealed class SecretResolverTests
{
    private static readonly DictionarySource Store = new(new Dictionary<string, string> { ["DB_PASSWORD"] = "from-store", ["API_KEY"] = "key" });

    [Fact]
    public void Find_EnvironmentOverride_WinsOverTheStore()
    {
        var resolver = new SecretResolver(Store, name => name == "SLIPWAY_SECRET_DB_PASSWORD" ? "from-env" : null);

        Assert.Equal("from-env", resolver.Find("DB_PASSWORD"));
        Assert.Equal("key", resolver.Find("API_KEY"));
    }

    [Fact]
    public void Find_NeitherHasIt_Null()
    {
        Assert.Null(new SecretResolver(Store, _ => null).Find("MISSING"));
        Assert.Null(new SecretResolver(store: null, _ => null).Find("DB_PASSWORD"));
    }

    [Fact]
    public void Find_NoStore_EnvironmentStillServes()
    {
        var resolver = new SecretResolver(store: null, name => name == "SLIPWAY_SECRET_TOKEN" ? "t" : null);

        Assert.Equal("t", resolver.Find("TOKEN"));
    }

    private sealed class DictionarySource(Dictionary<string, string> values) : ISecretSource
    {
        public bool TryGet(string name, out string value) => values.TryGetValue(name, out value!);
    }
}
