using Microsoft.Playwright;

namespace Slipway.EndToEnd.Tests.Dashboard;

/// <summary>One browser context and page of the dashboard, with what its console said and the API calls it made.</summary>
internal sealed class DashboardPage : IAsyncDisposable
{
    private const int CallsKept = 60;

    private readonly List<string> _errors = [];
    private readonly Queue<string> _calls = new();

    public DashboardPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_errors)
                {
                    _errors.Add($"console: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add($"uncaught: {error}");
            }
        };
        page.Response += (_, response) => Called(response.Request, response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        page.RequestFailed += (_, request) => Called(request, "failed: " + request.Failure);
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Console errors and uncaught exceptions since the last <see cref="ClearErrors"/>.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>
    /// What the page looks like to someone debugging a failed wait: its notice and connection banner, and its last
    /// API calls with their answers (a stream shows when its headers came and again when it broke).
    /// </summary>
    public async Task<string> DescribeAsync()
    {
        var banners = await Page.EvaluateAsync<string>(
            "['connection', 'notice'].map(id => document.getElementById(id)).map(e => `${e.id}: ${e.hidden ? '(hidden)' : e.textContent}`).join('; ')");
        string[] calls;
        lock (_calls)
        {
            calls = [.. _calls];
        }

        return $"page {Page.Url}: {banners}\nits last {calls.Length} API calls:\n{string.Join('\n', calls)}\nits errors: {string.Join('\n', Errors)}";
    }

    public void ClearErrors()
    {
        lock (_errors)
        {
            _errors.Clear();
        }
    }

    /// <summary>Signs in with <paramref name="token"/> through the form and waits for the overview.</summary>
    public async Task SignInAsync(string token)
    {
        await Page.GotoAsync("/");
        await Page.GetByLabel("API token").FillAsync(token);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>Goes to a page by its hash route and waits for its heading.</summary>
    public async Task GoAsync(string hash, string heading)
    {
        await Page.GotoAsync("/" + hash);
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>Clicks an action button and confirms it in the dialog, whose confirm button is named <paramref name="confirm"/>.</summary>
    public async Task ActAsync(ILocator button, string confirm)
    {
        await button.ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = confirm, Exact = true }).ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
    }

    public ILocator TestId(string id) => Page.GetByTestId(id);

    private void Called(IRequest request, string answer)
    {
        var path = new Uri(request.Url).PathAndQuery;
        if (!path.StartsWith("/api/", StringComparison.Ordinal) && !path.StartsWith("/healthz", StringComparison.Ordinal))
        {
            return;
        }

        lock (_calls)
        {
            _calls.Enqueue($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {request.Method} {path} {answer}");
            if (_calls.Count > CallsKept)
            {
                _calls.Dequeue();
            }
        }
    }

    public async Task<string> TextAsync(string testId) => await TestId(testId).InnerTextAsync();

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
