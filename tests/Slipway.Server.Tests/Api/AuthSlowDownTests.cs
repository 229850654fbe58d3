using System.Net;
using Microsoft.Extensions.Time.Testing;
using Slipway.Server.Auth;
using Slipway.Testing;

namespace Slipway.Server.Tests.Api;

/// <summary>
/// Repeated bad tokens from one address get 429 with Retry-After, until the (manual) clock moves on; a valid token
/// (or a dashboard session, or a sign-in with a valid token) from the same address is admitted all along.
/// </summary>
public sealed class AuthSlowDownTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = TestClock.Create();
    private DaemonFixture _daemon = null!;

    public async Task InitializeAsync()
    {
        _daemon = new DaemonFixture { Limiter = new AuthFailureLimiter(_clock) { MaxFailures = 3, Lockout = TimeSpan.FromSeconds(30) } };
        await _daemon.InitializeAsync();
    }

    [Fact]
    public async Task BadTokens_Repeated_Get429WithRetryAfterUntilLockoutPasses()
    {
        using var bad = _daemon.Client("slw_guess");
        await GuessThreeTimesAsync(bad);

        using (var limited = await bad.GetAsync("/api/v1/services"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(30), limited.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        }

        _clock.Advance(TimeSpan.FromSeconds(31));
        using var after = await bad.GetAsync("/api/v1/services");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task ValidToken_WhileTheAddressIsSlowedDown_IsAdmittedAndDoesNotResetTheGuesser()
    {
        using var bad = _daemon.Client("slw_guess");
        await GuessThreeTimesAsync(bad);

        using var good = _daemon.Client(_daemon.AdminToken);
        for (var i = 0; i < 3; i++)
        {
            using var admitted = await good.GetAsync("/api/v1/services");
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        }

        using var stillLimited = await bad.GetAsync("/api/v1/services");
        Assert.Equal(HttpStatusCode.TooManyRequests, stillLimited.StatusCode);
    }

    [Fact]
    public async Task SignInAndSession_WhileTheAddressIsSlowedDown_ValidOnesAdmitted_GuessesGet429()
    {
        using var bad = _daemon.Client("slw_guess");
        await GuessThreeTimesAsync(bad);

        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(_daemon.BaseAddress) };
        using (var signedIn = await browser.PostAsync("/api/v1/session", SignIn(_daemon.AdminToken)))
        {
            Assert.Equal(HttpStatusCode.Created, signedIn.StatusCode);
        }

        using (var session = await browser.GetAsync("/api/v1/session"))
        {
            Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        }

        using var guess = await browser.PostAsync("/api/v1/session", SignIn("slw_guess"));
        Assert.Equal(HttpStatusCode.TooManyRequests, guess.StatusCode);
        using var stranger = new HttpClient { BaseAddress = new Uri(_daemon.BaseAddress) };
        stranger.DefaultRequestHeaders.Add("Cookie", SessionCookie.Name + "=not-a-session");
        using var guessedSession = await stranger.GetAsync("/api/v1/session");
        Assert.Equal(HttpStatusCode.TooManyRequests, guessedSession.StatusCode);
    }

    [Fact]
    public async Task UnknownSessionCookie_WhileTheAddressIsSlowedDown_The429ClearsTheCookie()
    {
        using var bad = _daemon.Client("slw_guess");
        await GuessThreeTimesAsync(bad);

        // A browser with a cookie the daemon does not know (the daemon's sessions were lost, or it was made up): kept, it
        // would go with every call of the page and each time be refused as a guess.
        using var stranger = new HttpClient { BaseAddress = new Uri(_daemon.BaseAddress) };
        stranger.DefaultRequestHeaders.Add("Cookie", SessionCookie.Name + "=not-a-session");
        using var slowed = await stranger.GetAsync("/api/v1/services");
        Assert.Equal(HttpStatusCode.TooManyRequests, slowed.StatusCode);
        var cleared = Assert.Single(slowed.Headers.GetValues("Set-Cookie"), c => c.StartsWith(SessionCookie.Name + "=;", StringComparison.Ordinal));
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cleared, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task NoCredentials_Repeated_NeitherCountedNorSlowed_SoTheSignInFormStillShows()
    {
        using var visitor = new HttpClient { BaseAddress = new Uri(_daemon.BaseAddress) };
        for (var i = 0; i < 5; i++)
        {
            using var response = await visitor.GetAsync("/api/v1/session");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var bad = _daemon.Client("slw_guess");
        await GuessThreeTimesAsync(bad); // counted from zero: the visits were not guesses

        using (var limited = await bad.GetAsync("/api/v1/services"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        }

        // The dashboard asks for its session before anyone signs in; a 429 there would leave it blank.
        using var visit = await visitor.GetAsync("/api/v1/session");
        Assert.Equal(HttpStatusCode.Unauthorized, visit.StatusCode);
    }

    private static StringContent SignIn(string token) =>
        new(System.Text.Json.JsonSerializer.Serialize(new { token }), System.Text.Encoding.UTF8, "application/json");

    public Task DisposeAsync() => _daemon.DisposeAsync();

    /// <summary>Three calls with a token the daemon does not know, each refused 401: enough to slow the address down.</summary>
    private static async Task GuessThreeTimesAsync(HttpClient bad)
    {
        for (var i = 0; i < 3; i++)
        {
            using var response = await bad.GetAsync("/api/v1/services");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }
}
