using System.CommandLine;
using Slipway.Cli.Client;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli;

/// <summary><c>slipway maintenance on|off [SERVICE] [--hold 30s] [--page FILE]</c> and <c>slipway maintenance status</c>.</summary>
internal static class MaintenanceCommand
{
    /// <summary>The most a page may hold; the daemon refuses more.</summary>
    private const int MaxPageBytes = 64 * 1024;

    public static Command Create(CliOutput output)
    {
        var command = new Command("maintenance", "Hold new requests (up to --hold), then answer them 503 with a page; health checks and ACME challenges still pass.");
        command.Subcommands.Add(On(output));
        command.Subcommands.Add(Off(output));
        command.Subcommands.Add(Status(output));
        return command;
    }

    private static Command On(CliOutput output)
    {
        var service = new Argument<string?>("SERVICE") { Description = "One service; the whole app when left out.", Arity = ArgumentArity.ZeroOrOne };
        var hold = new Option<string>("--hold") { Description = "How long a request waits for the maintenance to end before it gets the page (at most 5m), e.g. 30s.", DefaultValueFactory = _ => "0s" };
        var page = new Option<string?>("--page") { Description = "The 503's body: an .html file is sent as HTML, anything else as plain text (at most 64 KB)." };
        var command = new Command("on", "Put the app, or one service, in maintenance.") { service, hold, page };
        var api = new ApiOptions();
        ClientVerb.SetAction(command, api, output, async (parsed, client) =>
        {
            string? pageText = null;
            string? pageType = null;
            if (parsed.GetValue(page) is { } file)
            {
                var info = new FileInfo(file);
                if (!info.Exists || info.Length > MaxPageBytes)
                {
                    await output.Error.WriteLineAsync($"slipway: --page {file}: " + (info.Exists ? $"larger than {MaxPageBytes / 1024} KB" : "no such file")).ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                pageText = await File.ReadAllTextAsync(file).ConfigureAwait(false);
                pageType = info.Extension is ".html" or ".htm" ? "text/html; charset=utf-8" : "text/plain; charset=utf-8";
            }

            var name = parsed.GetValue(service);
            var window = await client.SendAsync<MaintenanceRequest, MaintenanceResponse>(HttpMethod.Put, "api/v1/maintenance",
                new MaintenanceRequest(name, parsed.GetValue(hold), pageText, pageType)).ConfigureAwait(false);
            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, window);
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"{name ?? "the whole app"}: in maintenance; requests held up to {window.Hold}, then answered 503").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Off(CliOutput output)
    {
        var service = new Argument<string?>("SERVICE") { Description = "One service's own maintenance; everything when left out.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("off", "End maintenance; held requests go through at once.") { service };
        var api = new ApiOptions();
        ClientVerb.SetAction(command, api, output, async (parsed, client) =>
        {
            var name = parsed.GetValue(service);
            var result = await client.SendAsync<MaintenanceOffResponse>(HttpMethod.Delete, "api/v1/maintenance" + (name is null ? "" : "?service=" + Uri.EscapeDataString(name))).ConfigureAwait(false);
            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, result);
                return ExitCodes.Success;
            }

            var line = (name ?? "the whole app") + (result.Ended ? ": maintenance ended" : ": was not in maintenance");
            if (name is not null && result.App)
            {
                line += "; the whole app still is (slipway maintenance off)";
            }

            await output.Out.WriteLineAsync(line).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Status(CliOutput output)
    {
        var command = new Command("status", "What is in maintenance, since when and by whom.");
        var api = new ApiOptions();
        ClientVerb.SetAction(command, api, output, async (parsed, client) =>
        {
            var state = await client.GetAsync<MaintenanceStateResponse>("api/v1/maintenance").ConfigureAwait(false);
            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, state);
                return ExitCodes.Success;
            }

            List<MaintenanceResponse> windows = [.. state.App is { } app ? [app] : Array.Empty<MaintenanceResponse>(), .. state.Services];
            if (windows.Count == 0)
            {
                await output.Out.WriteLineAsync("nothing is in maintenance").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"{"SCOPE",-16} {"HOLD",-6} {"SINCE",-26} BY").ConfigureAwait(false);
            foreach (var window in windows)
            {
                await output.Out.WriteLineAsync($"{window.Service ?? "(whole app)",-16} {window.Hold,-6} {ClientVerb.Text(window.Since),-26} {window.By}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
