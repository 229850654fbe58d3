using System.Text.Json;
using Slipway.Control.Runtime;
using Slipway.Core.Manifest.Binding;
using Slipway.Server.Api;

namespace Slipway.Server.Tests.Api;

public sealed class ApiJsonTests
{
    /// <summary>
    /// The API writes these enums with its JSON policy, the state store and messages with the manifest's kebab-case
    /// names; the CLI and scripts compare them as words, so the two must never disagree.
    /// </summary>
    [Theory]
    [InlineData(typeof(RolloutStrategy))]
    [InlineData(typeof(RolloutPhase))]
    [InlineData(typeof(RevisionOutcome))]
    public void Serialize_RolloutWords_SameAsTheStoredKebabCaseNames(Type type)
    {
        foreach (var member in Enum.GetValues(type))
        {
            Assert.Equal($"\"{ScalarParsers.EnumName(member)}\"", JsonSerializer.Serialize(member, type, ApiJson.Options));
        }
    }

    [Fact]
    public void Serialize_TwoWordMembers_AreKebabCase()
    {
        Assert.Equal("\"blue-green\"", JsonSerializer.Serialize(RolloutStrategy.BlueGreen, ApiJson.Options));
        Assert.Equal("\"waiting-promotion\"", JsonSerializer.Serialize(RolloutPhase.WaitingPromotion, ApiJson.Options));
        Assert.Equal("\"rolled-back\"", JsonSerializer.Serialize(RevisionOutcome.RolledBack, ApiJson.Options));
    }
}
