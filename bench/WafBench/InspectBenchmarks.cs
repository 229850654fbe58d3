using System.Diagnostics.CodeAnalysis;
using System.Text;
using BenchmarkDotNet.Attributes;
using Slipway.Proxy.Edge.Waf;

namespace Slipway.Bench.Waf;

/// <summary>
/// One inspection of typical API requests that match nothing (the common case the WAF adds to
/// every request), and of one that matches (what a blocked request costs).
/// </summary>
[SuppressMessage("Performance", "CA1515:Consider making public types internal", Justification = "BenchmarkDotNet runs public, unsealed classes only.")]
[SuppressMessage("Performance", "CA1852:Seal internal types", Justification = "BenchmarkDotNet runs public, unsealed classes only.")]
public class InspectBenchmarks
{
    private static readonly WafHeader[] BrowserHeaders =
    [
        new("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"),
        new("Accept", "application/json"),
        new("Accept-Language", "en-GB,en;q=0.9"),
        new("Referer", "https://shop.example.com/search?q=o%27brien+mugs&page=2"),
        new("Cookie", "session=8f14e45fceea167a5a36dedd4bea2543; theme=dark; _ga=GA1.2.1234567890.1700000000"),
        new("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl"),
        new("X-Request-Id", "3fc2e26b69139163768ab42227a5d8c1"),
    ];

    private readonly byte[] _orderJson = Encoding.UTF8.GetBytes(
        """
        {"customer":{"name":"Conan O'Brien","email":"conan.obrien@example.com","phone":"+1 (555) 123-4567"},
         "shipTo":{"line1":"12 O'Connell St.","line2":"Apt #4B","city":"Dublin","postcode":"D02 XY45","country":"IE"},
         "items":[{"sku":"MUG-001","name":"Mug \"Best Boss\"","qty":2,"price":12.5},
                  {"sku":"TEE-042","name":"T-shirt <3 (size M)","qty":1,"price":19.99}],
         "note":"Please select gift wrap & drop it at the door; call if < 5 min away -- thanks!",
         "coupon":"SAVE10","currency":"EUR"}
        """);

    private readonly byte[] _attackForm = Encoding.UTF8.GetBytes("username=admin%27+OR+%271%27%3D%271&password=x");

    [Benchmark(Baseline = true, Description = "POST JSON order (600 B), 7 headers")]
    public bool BenignJsonPost() =>
        WafInspector.Inspect(new WafRequest("/api/v1/orders", "include=items&page=2", BrowserHeaders, "application/json; charset=utf-8", _orderJson), WafRuleSet.Default, out _);

    [Benchmark(Description = "GET search with query, 7 headers")]
    public bool BenignSearchGet() =>
        WafInspector.Inspect(new WafRequest("/api/v1/products", "search=men%27s+shoes+%3C+50&sort=price_asc&limit=20", BrowserHeaders, default, default), WafRuleSet.Default, out _);

    [Benchmark(Description = "POST login form with SQLi (blocked)")]
    public bool AttackFormPost() =>
        WafInspector.Inspect(new WafRequest("/login", default, BrowserHeaders, "application/x-www-form-urlencoded", _attackForm), WafRuleSet.Default, out _);
}
