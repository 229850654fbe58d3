namespace Slipway.EndToEnd.Tests.Examples;

/// <summary>
/// The example tests run one after another: each starts a whole app (up to fourteen processes and a PostgreSQL), and
/// two at once beside the rest of the suite would starve the two cores CI has.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ExamplesCollection
{
    public const string Name = "examples";
}
