namespace Slipway.EndToEnd.Tests;

/// <summary>The test classes that share one <see cref="PrivilegeDaemon"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PrivilegeCollection : ICollectionFixture<PrivilegeDaemon>
{
    public const string Name = "privilege daemon";
}
