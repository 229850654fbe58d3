using System.Text;
using Slipway.Proxy.Edge.Waf;
using Slipway.Testing;

namespace Slipway.Proxy.Tests.Edge.Waf;

public sealed class WafInspectorTests
{
    private const string JsonType = "application/json; charset=utf-8";

    [Fact]
    public void Inspect_AttackInPath_NamesThePath()
    {
        var match = Match(new WafRequest("/api/users/1'%20OR%20'1'%3D'1/orders", default, [], default, default));

        Assert.Equal((WafTargetKind.Path, null, "sqli-boolean"), (match.Target, match.TargetName, match.RuleName));
    }

    [Fact]
    public void Inspect_AttackInQueryValueOrName_NamesTheArgument()
    {
        Assert.Equal("query:id", Match(new WafRequest("/p", "page=2&id=1%20UNION%20SELECT%201", [], default, default)).TargetText);
        Assert.Equal("query:<script>", Match(new WafRequest("/p", "?%3Cscript%3E=1", [], default, default)).TargetText);
    }

    [Theory]
    [InlineData("User-Agent", "() { :; }; /bin/true", "header:User-Agent")]
    [InlineData("Referer", "https://shop.example/search?q=%27+OR+%271%27%3D%271", "header:Referer")]
    [InlineData("X-Forwarded-For", "127.0.0.1'; DROP TABLE logs--", "header:X-Forwarded-For")]
    [InlineData("Cookie", "session=abc; lang=..%2F..%2F..%2Fetc%2Fpasswd", "cookie:lang")]
    public void Inspect_AttackInHeader_NamesTheHeaderOrCookie(string name, string value, string target) =>
        Assert.Equal(target, Match(new WafRequest("/", default, [new WafHeader(name, value)], default, default)).TargetText);

    [Theory]
    [InlineData("Authorization", "Bearer ' OR 1=1--")]
    [InlineData("Accept", "text/html, <script>")]
    [InlineData("Sec-Fetch-Site", "; cat /etc/passwd")]
    public void Inspect_AttackInHeaderWithAFixedGrammar_IsNotInspected(string name, string value) =>
        Assert.False(WafInspector.Inspect(new WafRequest("/", default, [new WafHeader(name, value)], default, default), WafRuleSet.Default, out _));

    [Fact]
    public void Inspect_JsonBody_UnescapesStringsAndNamesTheDottedPath()
    {
        var match = Match(Body(JsonType, """{"user":{"tags":["ok",{"bio":"\u0027 OR 1=1--"}]},"n":1}"""));

        Assert.Equal(("body:user.tags.bio", "sqli-boolean"), (match.TargetText, match.RuleName));
    }

    [Fact]
    public void Inspect_JsonPropertyName_IsInspected() =>
        Assert.Equal("body:<img src=x onerror=alert(1)>", Match(Body(JsonType, """{"<img src=x onerror=alert(1)>":1}""")).TargetText);

    [Fact]
    public void Inspect_MalformedJson_IsInspectedAsText() =>
        Assert.Equal("xss-script", Match(Body(JsonType, "{\"a\": <script>alert(1)</script>}")).RuleName);

    [Fact]
    public void Inspect_FormBody_NamesTheField() =>
        Assert.Equal("body:host", Match(Body("application/x-www-form-urlencoded", "name=x&host=127.0.0.1%3B+cat+%2Fetc%2Fpasswd")).TargetText);

    [Fact]
    public void Inspect_MultipartFieldAndFileName_AreInspectedButNotFileContent()
    {
        const string type = "multipart/form-data; boundary=xyz";
        static string Part(string disposition, string content) =>
            $"--xyz\r\nContent-Disposition: form-data; {disposition}\r\n\r\n{content}\r\n";

        Assert.Equal("body:note", Match(Body(type, Part("name=\"note\"", "<script>x</script>") + "--xyz--")).TargetText);
        Assert.Equal("traversal-dotdot", Match(Body(type, Part("name=\"f\"; filename=\"../../x.png\"", "png") + "--xyz--")).RuleName);
        Assert.False(WafInspector.Inspect(Body(type, Part("name=\"f\"; filename=\"x.sh\"", "cat /etc/passwd; rm -rf /") + "--xyz--"), WafRuleSet.Default, out _));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("")]
    public void Inspect_TextBody_IsOneValue(string contentType) =>
        Assert.Equal("body", Match(Body(contentType, "hello'; DROP TABLE users--")).TargetText);

    [Theory]
    [InlineData("application/octet-stream")]
    [InlineData("image/png")]
    [InlineData("application/grpc")]
    public void Inspect_BinaryBody_IsNotInspected(string contentType) =>
        Assert.False(WafInspector.Inspect(Body(contentType, "'; DROP TABLE users--"), WafRuleSet.Default, out _));

    [Fact]
    public void Inspect_Match_ExcerptIsEscapedAndTruncated()
    {
        var match = Match(new WafRequest("/", "q=%22%3E%3Cscript%3E%E2%80%AE" + new string('a', 200) + "%3C%2Fscript%3E", [], default, default));

        Assert.StartsWith("\\\"><script>\\u202e", match.Excerpt, StringComparison.Ordinal);
        Assert.True(match.Excerpt.Length <= WafLimits.ReportChars + 1);
        Assert.DoesNotContain(match.Excerpt, c => c is < ' ' or > '~' and not '…');
    }

    [Fact]
    public void Inspect_BenignRequest_AllocatesNothing()
    {
        var headers = new[]
        {
            new WafHeader("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"),
            new WafHeader("Referer", "https://shop.example/search?q=o%27brien+mugs"),
            new WafHeader("Cookie", "session=8f14e45fceea167a5a36dedd4bea2543; theme=dark"),
        };
        var body = Encoding.UTF8.GetBytes("""{"author":"Conan O'Brien","body":"5 stars <3 -- would buy again; price < $20","tags":["a","b"]}""");
        var request = new WafRequest("/api/posts/42/comments", "page=2&sort=-created_at", headers, JsonType, body);
        for (var i = 0; i < 2000; i++)
        {
            Assert.False(WafInspector.Inspect(request, WafRuleSet.Default, out _));
        }

        var allocated = Allocations.Fewest(() =>
        {
            // The same request, made here: a ref struct cannot be captured (making one allocates nothing).
            var again = new WafRequest("/api/posts/42/comments", "page=2&sort=-created_at", headers, JsonType, body);
            for (var i = 0; i < 1000; i++)
            {
                WafInspector.Inspect(again, WafRuleSet.Default, out _);
            }
        });

        // Under a byte per request: the runtime may allocate once (tiering), a request may not.
        Assert.InRange(allocated, 0, 999);
    }

    private static WafRequest Body(string contentType, string body) =>
        new("/submit", default, [], contentType, Encoding.UTF8.GetBytes(body));

    private static WafMatch Match(in WafRequest request)
    {
        Assert.True(WafInspector.Inspect(request, WafRuleSet.Default, out var match));
        return match;
    }
}
