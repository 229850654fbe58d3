namespace Slipway.Proxy.Tests.Edge.Waf.Detection;

public sealed class PathTraversalDetectorTests
{
    [Theory]
    [InlineData("../../etc/hosts.allow")]
    [InlineData("..\\..\\boot")]
    [InlineData("/var/www/../../secret")]
    [InlineData("..")]
    [InlineData("a/..")]
    [InlineData("....//....//config")]
    [InlineData("..;/..;/manager")]
    [InlineData("..;jsessionid=1/admin")]
    [InlineData("..∕..∕config")]
    [InlineData("..＼..＼config")]
    public void Detect_DotDotSegment_IsTraversalDotDot(string value) =>
        Assert.Equal("traversal-dotdot", WafProbe.Rule(value));

    [Theory]
    [InlineData("q=..%2f..%2fsecret")]
    [InlineData("q=..%252f..%252fsecret")]
    [InlineData("q=%2e%2e%2f%2e%2e%2fsecret")]
    [InlineData("q=..%c0%af..%c0%afsecret")]
    [InlineData("q=%c0%ae%c0%ae/secret")]
    [InlineData("q=..%u2215secret")]
    [InlineData("q=..%00/secret")]
    [InlineData("q=.%2e/secret")]
    public void Detect_EncodedDotDot_IsTraversalDotDot(string query) =>
        Assert.Equal("traversal-dotdot", WafProbe.RuleForRawQuery(query));

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("file:///etc/shadow")]
    [InlineData("C:\\Windows\\System32\\drivers\\etc\\hosts")]
    [InlineData("c:/boot.ini")]
    [InlineData("/proc/self/environ")]
    [InlineData("/home/u/.ssh/id_rsa")]
    [InlineData("php://filter/resource=index.php")]
    [InlineData("/WEB-INF/web.xml")]
    public void Detect_SensitiveFile_IsTraversalSensitiveFile(string value) =>
        Assert.Equal("traversal-sensitive-file", WafProbe.Rule(value));

    [Theory]
    [InlineData("report.final.v2.pdf")]
    [InlineData("my..file.txt")]
    [InlineData("..gitignore")]
    [InlineData("Shipping took forever... 2 weeks")]
    [InlineData("../ in urls")]
    [InlineData("wait.../ok")]
    [InlineData("boot.ini")]
    [InlineData("etc passwd file format")]
    [InlineData("https://example.com/a/b/c/index.html")]
    public void Detect_DotsInNamesAndProse_PassTraversalRules(string value) =>
        Assert.Null(WafProbe.Rule(value));
}
