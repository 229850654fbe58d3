using System.CommandLine;
using Slipway.Cli.Client;
using Slipway.Server.Cost;

namespace Slipway.Cli;

/// <summary>
/// <c>slipway cost</c>: what the manifest's app costs a month, now and at the scales asked for. The running daemon's
/// measurements are used when it answers; without one every figure comes from the manifest or the price table's
/// assumptions, and the output says which.
/// </summary>
internal static class CostCommand
{
    public static Command Create(CliOutput output)
    {
        var prices = new Option<string?>("--prices") { Description = "A price table (YAML) to use instead of the default one (docs/operations.md#cost)." };
        var scale = new Option<string?>("--scale") { Description = "User counts to price the app at as well, e.g. 1k,10k,100k (requests grow linearly)." };
        var api = new ApiOptions();
        var command = new Command("cost", "Estimate the app's monthly cost: compute, storage, egress, and the Kubernetes nodes it would need (--file: the manifest, default slipway.yaml).") { prices, scale };
        api.AddTo(command);
        command.SetAction(async parsed =>
        {
            var path = parsed.GetValue(api.File) ?? "slipway.yaml";
            if (CliManifest.Load(output, path) is not { } loaded)
            {
                return ExitCodes.Usage;
            }

            string? scaleError = null;
            var scales = parsed.GetValue(scale) is { } text ? CostScale.ParseList(text, out scaleError) : [];
            if (scales is null)
            {
                await output.Error.WriteLineAsync($"slipway: {scaleError}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var (table, tableName) = (PriceTableReader.Default(), PriceTableReader.DefaultName);
            if (parsed.GetValue(prices) is { } pricesPath)
            {
                if (!File.Exists(pricesPath))
                {
                    await output.Error.WriteLineAsync($"slipway: --prices {pricesPath}: no such file").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                (table, tableName) = (PriceTableReader.Read(await File.ReadAllTextAsync(pricesPath).ConfigureAwait(false), pricesPath, out var errors)!, pricesPath);
                if (table is null)
                {
                    foreach (var line in errors)
                    {
                        await output.Error.WriteLineAsync(line).ConfigureAwait(false);
                    }

                    return ExitCodes.Usage;
                }
            }

            CostMeasurements? measured = null;
            string? unmeasured = null;
            using (var client = api.Connect(parsed))
            {
                try
                {
                    measured = await client.GetAsync<CostMeasurements>("api/v1/cost/measurements").ConfigureAwait(false);
                }
                catch (ApiException e)
                {
                    unmeasured = e.Message;
                }
            }

            var report = CostEstimator.Estimate(loaded.Manifest!, table, tableName, measured, scales);
            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, report);
            }
            else
            {
                CostText.Write(output.Out, report, table, unmeasured);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
