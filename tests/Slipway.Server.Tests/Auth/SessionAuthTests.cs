using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Slipway.Server.Auth;

namespace Slipway.Server.Tests.Auth;

/// <summary>Dashboard sessions through the real API: the cookie, CSRF, roles, revocation, sign-out, and the audit log.</summary>
public sealed class SessionAuthTests : IClassFixture<DaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public SessionAuthTests(DaemonFixture daemon) => _daemon = daemon;

    [Fact]
    public async Task SignIn_ValidToken_HttpOnlyStrictCookieAndSessionWithCsrf()
    {
        var (client, response) = await SignInAsync(_daemon.AdminToken);
        using (client)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
            Assert.StartsWith(SessionCookie.Name + "=", setCookie, StringComparison.Ordinal);
            Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("expires=", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("secure", setCookie.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);
            var session = await client.GetFromJsonAsync<JsonElement>("/api/v1/session");
            Assert.Equal("admin", session.GetProperty("name").GetString());
            Assert.Equal("admin", session.GetProperty("role").GetString());
            Assert.True(session.GetProperty("csrf").GetString()!.Length >= 40);
        }
    }

    [Fact]
    public void CookieOptions_OverTls_Secure()
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Scheme = "https";

        var options = SessionCookie.Options(context, DateTimeOffset.UnixEpoch);

        Assert.True(options.Secure);
        Assert.True(options.HttpOnly);
        Assert.Equal(Microsoft.AspNetCore.Http.SameSiteMode.Strict, options.SameSite);
    }

    [Fact]
    public async Task SignIn_WrongToken_401AndNoCookie()
    {
        var (client, response) = await SignInAsync("slw_not-a-token");
        using (client)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.False(response.Headers.Contains("Set-Cookie"));
        }
    }

    [Fact]
    public async Task Post_SessionWithoutCsrfHeader_403AndNothingDone_WithIt_Passes()
    {
        var (client, _) = await SignInAsync(_daemon.AdminToken);
        using (client)
        {
            using var refused = await client.PostAsync("/api/v1/silences", Json("""{"matchers":["x=y"],"for":"1m"}"""));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains(Csrf.Header, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var csrf = (await client.GetFromJsonAsync<JsonElement>("/api/v1/session")).GetProperty("csrf").GetString()!;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/services/no-such/scale") { Content = Json("""{"replicas":1}""") };
            request.Headers.Add(Csrf.Header, csrf);
            using var passed = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, passed.StatusCode);
        }
    }

    [Fact]
    public async Task Post_SessionFromAnotherOrigin_403EvenWithTheCsrfToken()
    {
        var (client, _) = await SignInAsync(_daemon.AdminToken);
        using (client)
        {
            var csrf = (await client.GetFromJsonAsync<JsonElement>("/api/v1/session")).GetProperty("csrf").GetString()!;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/services/no-such/scale") { Content = Json("""{"replicas":1}""") };
            request.Headers.Add(Csrf.Header, csrf);
            request.Headers.Add("Origin", "https://evil.example");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("https://evil.example", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SignIn_FromAnotherOrigin_403()
    {
        using var client = new HttpClient { BaseAddress = new Uri(_daemon.BaseAddress) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/session") { Content = Json(JsonSerializer.Serialize(new { token = _daemon.AdminToken })) };
        request.Headers.Add("Origin", "https://evil.example");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Session_ViewerToken_RoleCheckedLikeTheToken()
    {
        var (client, _) = await SignInAsync(await _daemon.TokenAsync("session-viewer-" + Guid.NewGuid().ToString("N")[..6], "viewer"));
        using (client)
        {
            var csrf = (await client.GetFromJsonAsync<JsonElement>("/api/v1/session")).GetProperty("csrf").GetString()!;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/services/api/scale") { Content = Json("""{"replicas":3}""") };
            request.Headers.Add(Csrf.Header, csrf);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("needs deployer", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var audit = await client.GetAsync("/api/v1/audit");
            Assert.Equal(HttpStatusCode.Forbidden, audit.StatusCode);
        }
    }

    [Fact]
    public async Task Session_TokenRevoked_401NamingTheTokenAndCookieCleared()
    {
        var name = "session-revoked-" + Guid.NewGuid().ToString("N")[..6];
        var (client, _) = await SignInAsync(await _daemon.TokenAsync(name, "viewer"));
        using (client)
        using (var admin = _daemon.Client(_daemon.AdminToken))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/services")).StatusCode);
            (await admin.DeleteAsync($"/api/v1/tokens/{name}")).EnsureSuccessStatusCode();

            using var response = await client.GetAsync("/api/v1/services");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains($"token {name} it was opened with was revoked", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(SessionCookie.Name + "=;", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task SignOut_ThenTheSameCookie_401()
    {
        var (client, response) = await SignInAsync(_daemon.AdminToken);
        var cookie = response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        using (client)
        {
            var csrf = (await client.GetFromJsonAsync<JsonElement>("/api/v1/session")).GetProperty("csrf").GetString()!;
            using var signOut = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/session");
            signOut.Headers.Add(Csrf.Header, csrf);
            Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(signOut)).StatusCode);
        }

        using var replay = new HttpClient { BaseAddress = new Uri(_daemon.BaseAddress) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/services");
        request.Headers.Add("Cookie", cookie);
        using var replayed = await replay.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Contains("not signed in", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_SignIn_RecordedUnderTheTokensNameWithoutTheToken()
    {
        var name = "session-signin-" + Guid.NewGuid().ToString("N")[..6];
        var token = await _daemon.TokenAsync(name, "viewer");
        var (client, _) = await SignInAsync(token);
        client.Dispose();

        using var admin = _daemon.Client(_daemon.AdminToken);
        var text = await admin.GetStringAsync("/api/v1/audit");
        var entry = JsonDocument.Parse(text).RootElement.EnumerateArray().Single(e => e.GetProperty("actor").GetString() == name);
        Assert.Equal("POST /api/v1/session 201", $"{entry.GetProperty("method")} {entry.GetProperty("route")} {entry.GetProperty("status")}");
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_ScaleThroughSessionAndThroughBearer_SameEntryButForTime()
    {
        var name = "session-audit-" + Guid.NewGuid().ToString("N")[..6];
        var token = await _daemon.TokenAsync(name, "deployer");
        var (client, _) = await SignInAsync(token);
        using (client)
        using (var bearer = _daemon.Client(token))
        {
            var csrf = (await client.GetFromJsonAsync<JsonElement>("/api/v1/session")).GetProperty("csrf").GetString()!;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/services/no-such/scale?from=x") { Content = Json("""{"replicas":1}""") };
            request.Headers.Add(Csrf.Header, csrf);
            await client.SendAsync(request);
            await bearer.PostAsync("/api/v1/services/no-such/scale?from=x", Json("""{"replicas":1}"""));
        }

        using var admin = _daemon.Client(_daemon.AdminToken);
        var entries = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit")).EnumerateArray()
            .Where(e => e.GetProperty("actor").GetString() == name && e.GetProperty("route").GetString()!.EndsWith("/scale", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, entries.Count);
        string Shape(JsonElement e) => $"{e.GetProperty("actor")} {e.GetProperty("method")} {e.GetProperty("route")} {e.GetProperty("arguments")} {e.GetProperty("remote")} {e.GetProperty("status")}";
        Assert.Equal(Shape(entries[0]), Shape(entries[1]));
    }

    private async Task<(HttpClient Client, HttpResponseMessage Response)> SignInAsync(string token)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(_daemon.BaseAddress) };
        var response = await client.PostAsync("/api/v1/session", Json(JsonSerializer.Serialize(new { token })));
        return (client, response);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
