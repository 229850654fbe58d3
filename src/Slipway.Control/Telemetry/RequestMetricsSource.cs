using System.Globalization;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Routing;

namespace Slipway.Control.Telemetry;

/// <summary>
/// The proxy's request totals per service × revision × route from the <see cref="RequestMetricsStore"/>:
/// requests by response code, the latency histogram on <see cref="LatencyBuckets"/>, bytes in and out, and the
/// samples the store could not keep.
/// </summary>
internal sealed class RequestMetricsSource : IMetricsSource
{
    /// <summary>The <c>code</c> label of requests that got no response (the client went away first).</summary>
    public const string NoResponseCode = "none";

    private static readonly string[] Les = [.. LatencyBuckets.UpperBounds.Select(MetricsWriter.FormatValue), "+Inf"];
    private static readonly string[] Reasons = [.. Enum.GetValues<EdgeRefusal>().Select(r => ScalarParsers.EnumName(r))];
    private static readonly string[] Codes = [NoResponseCode, .. Enumerable.Range(1, RequestSeries.CodeCount - 1).Select(c => c.ToString(CultureInfo.InvariantCulture))];

    private readonly RequestMetricsStore _store;

    public RequestMetricsSource(RequestMetricsStore store) => _store = store;

    public void WriteMetrics(MetricsWriter writer)
    {
        var totals = _store.Totals();
        writer.Family("slipway_http_requests_total", "counter", "Requests the edge proxy handled, by service, revision, route and response code (none: no response).");
        foreach (var (key, _, codes) in totals)
        {
            for (var code = 0; code < codes.Length; code++)
            {
                if (codes[code] > 0)
                {
                    writer.Sample([.. Labels(key), new("code", Codes[code])], codes[code]);
                }
            }
        }

        writer.Family("slipway_http_request_duration_seconds", "histogram", "Time from the request's arrival to the end of its response, by service, revision and route.");
        foreach (var (key, stats, _) in totals)
        {
            KeyValuePair<string, string>[] labels = Labels(key);
            long cumulative = 0;
            for (var i = 0; i < LatencyBuckets.Count; i++)
            {
                cumulative += stats.Bucket(i);
                writer.Sample([.. labels, new("le", Les[i])], cumulative, "_bucket");
            }

            writer.Sample(labels, stats.DurationSum.TotalSeconds, "_sum");
            writer.Sample(labels, cumulative, "_count");
        }

        writer.Family("slipway_http_request_bytes_total", "counter", "Request body bytes the edge proxy forwarded, by service, revision and route.");
        foreach (var (key, stats, _) in totals)
        {
            writer.Sample(Labels(key), stats.RequestBytes);
        }

        writer.Family("slipway_http_response_bytes_total", "counter", "Response body bytes the edge proxy sent to clients, by service, revision and route.");
        foreach (var (key, stats, _) in totals)
        {
            writer.Sample(Labels(key), stats.ResponseBytes);
        }

        writer.Family("slipway_edge_refusals_total", "counter",
            "Requests the edge answered itself before any backend saw them, by service, route and reason (forbidden, rate-limited, body-too-large, maintenance, waf).");
        foreach (var (key, refusals) in _store.Refusals())
        {
            for (var reason = 1; reason < refusals.Length; reason++)
            {
                if (refusals[reason] > 0)
                {
                    writer.Sample([new("service", key.Service), new("route", key.Route), new("reason", Reasons[reason])], refusals[reason]);
                }
            }
        }

        writer.Family("slipway_waf_matches_total", "counter",
            "Requests a WAF rule matched, by service, route, rule class (sqli, xss, path-traversal, command-injection) and mode (block: refused with 403; detect: forwarded).");
        // Forwarded matches have a revision; a family without that label adds the revisions up.
        foreach (var matches in _store.WafMatches().GroupBy(m => (m.Key.Service, m.Key.Route)))
        {
            var route = matches.Key;
            for (var i = 0; i < WafNames.Classes.Count * 2; i++)
            {
                var count = matches.Sum(m => m.Matches[i]);
                if (count > 0)
                {
                    writer.Sample([new("service", route.Service), new("route", route.Route), new("class", WafNames.Classes[i / 2]), new("mode", i % 2 == 1 ? "block" : "detect")], count);
                }
            }
        }

        writer.Family("slipway_http_request_samples_dropped_total", "counter", "Requests not recorded because the request store reached its series limit.");
        writer.Sample([], _store.DroppedSamples);
    }

    private static KeyValuePair<string, string>[] Labels(RequestSeriesKey key) =>
        [new("service", key.Service), new("revision", key.Revision), new("route", key.Route)];
}
