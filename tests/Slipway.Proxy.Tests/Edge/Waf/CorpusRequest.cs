using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Proxy.Edge.Waf;
using Slipway.Testing;

namespace Slipway.Proxy.Tests.Edge.Waf;

/// <summary>One line of the corpus (see Corpus/README.md).</summary>
public sealed record CorpusRequest(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("class")] string Class,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("query")] string? Query,
    [property: JsonPropertyName("headers")] string[][] Headers,
    [property: JsonPropertyName("contentType")] string? ContentType,
    [property: JsonPropertyName("body")] string? Body)
{
    public bool IsAttack => Class != "benign";

    public static IReadOnlyList<CorpusRequest> Load(string file) =>
        [.. File.ReadLines(RepositoryRoot.File("tests", "Slipway.Proxy.Tests", "Edge", "Waf", "Corpus", file))
            .Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize<CorpusRequest>(line) ?? throw new InvalidDataException($"{file}: empty line"))];

    internal bool Inspect(WafRuleSet rules, out WafMatch? match)
    {
        var headers = Headers.Select(h => new WafHeader(h[0], h[1])).ToArray();
        var request = new WafRequest(Path, Query, headers, ContentType, Body is null ? default : Encoding.UTF8.GetBytes(Body));
        return WafInspector.Inspect(request, rules, out match);
    }
}
