using Microsoft.Playwright;

namespace Slipway.EndToEnd.Tests.Dashboard;

/// <summary>One browser context and page of the dashboard, with what its console said.</summary>
internal sealed class DashboardPage : IAsyncDisposable
{
    private readonly List<string> _errors = [];

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

    public async Task<string> TextAsync(string testId) => await TestId(testId).InnerTextAsync();

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
