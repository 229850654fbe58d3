using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Slipway.Server.Auth;
using Slipway.Testing;

namespace Slipway.Server.Tests.Auth;

/// <summary>The middleware on a session cookie, on a manual clock: a session lives its lifetime and not a moment more.</summary>
public sealed class AuthMiddlewareSessionTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = TestClock.Create();
    private readonly TokenStore _tokens;
    private readonly SessionStore _sessions;
    private bool _passed;

    public AuthMiddlewareSessionTests()
    {
        _tokens = new TokenStore(_dir.Path, _time);
        _sessions = new SessionStore(_dir.Path, _time, TimeSpan.FromHours(12));
    }

    [Fact]
    public async Task Invoke_SessionPastItsLifetime_401SayingItExpiredAndCookieCleared()
    {
        var id = OpenSession();
        _time.Advance(TimeSpan.FromHours(11));
        var (live, _) = await InvokeAsync(id);
        Assert.Equal(StatusCodes.Status200OK, live.Response.StatusCode);
        Assert.True(_passed, "a session within its lifetime reaches the endpoint");

        _passed = false;
        _time.Advance(TimeSpan.FromHours(1));
        var (expired, detail) = await InvokeAsync(id);

        Assert.False(_passed, "an expired session must not reach the endpoint");
        Assert.Equal(StatusCodes.Status401Unauthorized, expired.Response.StatusCode);
        Assert.Equal("your session has expired; sign in again", detail);
        Assert.Contains($"{SessionCookie.Name}=;", expired.Response.Headers.SetCookie.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private string OpenSession()
    {
        var token = _tokens.Create("alice", ApiRole.Viewer);
        var (id, _) = _sessions.Open(_tokens.Authenticate(token)!);
        return id;
    }

    private async Task<(HttpContext Context, string? Detail)> InvokeAsync(string sessionId)
    {
        var middleware = new AuthMiddleware(_ => { _passed = true; return Task.CompletedTask; }, _tokens, _sessions, new AuthFailureLimiter(_time), NullLogger.Instance);
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/api/v1/services";
        context.Request.Headers.Cookie = $"{SessionCookie.Name}={sessionId}";
        context.Response.Body = new MemoryStream();
        await middleware.InvokeAsync(context);
        var body = ((MemoryStream)context.Response.Body).ToArray();
        var detail = body.Length == 0 ? null : JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString();
        return (context, detail);
    }
}
