using System.Text.Json;
using Slipway.Server.Api;
using Slipway.Server.Api.Contracts;

namespace Slipway.Server.Tests.Api;

public sealed class RequestBodyTests
{
    [Fact]
    public void Bind_FieldsOfTheRightType_BindTheRecord()
    {
        var body = Bind<DeployRequest>("""{"version": "v2", "force": true, "reason": null, "unknown": 1}""");

        Assert.Equal(new DeployRequest("v2", true, null), body.Value);
        Assert.Null(body.Invalid([]));
    }

    [Fact]
    public void Bind_SeveralFieldsOfTheWrongType_EachReportedWithWhatItHeld()
    {
        var body = Bind<DeployRequest>("""{"version": "v2", "force": "yes", "reason": 5}""");

        Assert.Equal(new DeployRequest("v2"), body.Value);
        Assert.Equal("\"yes\"", body.WrongType("force"));
        Assert.Equal("5", body.WrongType("reason"));
        Assert.Null(body.WrongType("version"));
        var errors = new Dictionary<string, string[]>();
        Assert.NotNull(body.Invalid(errors));
        Assert.Equal(["must be true or false (got \"yes\")"], errors["force"]);
        Assert.Equal(["must be a string (got 5)"], errors["reason"]);
    }

    [Fact]
    public void Check_WrongType_TheHandlersMessageSpeaksForIt()
    {
        var body = Bind<ScaleRequest>("""{"replicas": "3"}""");
        var errors = new Dictionary<string, string[]>();

        body.Check(errors, "replicas", valid: true, "must be a whole number between 0 and 1000 (got \"3\")");

        Assert.Equal(["must be a whole number between 0 and 1000 (got \"3\")"], errors["replicas"]);
        Assert.Null(body.Value!.Replicas);
    }

    [Theory]
    [InlineData("""{"to": "7"}""", "7")]
    [InlineData("""{"to": 7}""", "7")]
    [InlineData("""{"to": null}""", null)]
    [InlineData("""{}""", null)]
    public void Bind_RevisionAsStringOrNumber_IsText(string json, string? expected)
    {
        var body = Bind<RollbackRequest>(json);

        Assert.Equal(expected, body.Value!.To);
        Assert.Null(body.Invalid([]));
    }

    [Fact]
    public void Bind_RevisionOfAnotherType_MustBeARevisionNumber()
    {
        var errors = new Dictionary<string, string[]>();

        Assert.NotNull(Bind<RollbackRequest>("""{"to": true}""").Invalid(errors));
        Assert.Equal(["must be a revision number (got true)"], errors["to"]);
    }

    private static RequestBody<T> Bind<T>(string json)
        where T : class
    {
        using var document = JsonDocument.Parse(json);
        return RequestBody<T>.Bind(document.RootElement);
    }
}
