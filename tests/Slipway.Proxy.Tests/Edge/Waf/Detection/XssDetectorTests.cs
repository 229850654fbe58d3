namespace Slipway.Proxy.Tests.Edge.Waf.Detection;

public sealed class XssDetectorTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<ScRiPt src=//x.example/a.js>")]
    [InlineData("</script><svg>")]
    [InlineData("<scr<script>ipt>")]
    [InlineData("&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("\\u003cscript\\u003e")]
    [InlineData("＜script＞")]
    public void Detect_ScriptTag_IsXssScript(string value) =>
        Assert.Equal("xss-script", WafProbe.Rule(value));

    [Theory]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<svg/onload=alert(1)>")]
    [InlineData("<body onpageshow=alert(1)>")]
    [InlineData("<x onclick=alert(1)>click")]
    [InlineData("<img src=x\tonerror=alert(1)>")]
    [InlineData("<svg><set attributeName=\"onmouseover\" to=\"alert(1)\"/>")]
    [InlineData("\" onmouseover=\"alert(1)")]
    [InlineData("' autofocus onfocus='alert(1)")]
    public void Detect_EventHandler_IsXssEventHandler(string value) =>
        Assert.Equal("xss-event-handler", WafProbe.Rule(value));

    [Theory]
    [InlineData("javascript:alert(document.domain)")]
    [InlineData("JaVaScRiPt:alert(1)")]
    [InlineData("java\nscript:alert(1)")]
    [InlineData("<a href=\"jav&#x09;ascript:alert(1)\">x</a>")]
    [InlineData("<a href=\" javascript:alert(1)\">x</a>")]
    [InlineData("&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)")]
    [InlineData("<a href=javascript&colon;alert(1)>x</a>")]
    [InlineData("vbscript:msgbox(1)")]
    [InlineData("data:text/html;base64,PHNjcmlwdD4=")]
    [InlineData("background:url(javascript:alert(1))")]
    [InlineData("/users/javascript:alert(1)")]
    public void Detect_ScriptUrl_IsXssScriptUrl(string value) =>
        Assert.Equal("xss-script-url", WafProbe.Rule(value));

    [Theory]
    [InlineData("<iframe src=//x.example>")]
    [InlineData("<object data=x>")]
    [InlineData("<embed src=x>")]
    [InlineData("<meta http-equiv=refresh content=0>")]
    [InlineData("<base href=//x.example/>")]
    [InlineData("<style>@import 'x.css';</style>")]
    [InlineData("<div style=\"width:expression(alert(1))\">")]
    [InlineData("<div style=\"background:url(javascript:alert(1))\">")]
    [InlineData("<iframe srcdoc=x>")]
    public void Detect_DangerousTagOrCss_IsXssDangerousTag(string value) =>
        Assert.Equal("xss-dangerous-tag", WafProbe.Rule(value));

    [Theory]
    [InlineData("';alert(1);//")]
    [InlineData("\"-alert(1)-\"")]
    [InlineData("\\\";alert(document.cookie);//")]
    [InlineData("'};window.alert(1)//")]
    [InlineData("');document.write('x')//")]
    public void Detect_StringBreakoutIntoSink_IsXssScriptBreakout(string value) =>
        Assert.Equal("xss-script-breakout", WafProbe.Rule(value));

    [Theory]
    [InlineData("{{constructor.constructor('alert(1)')()}}")]
    [InlineData("{{$on.constructor('alert(1)')()}}")]
    public void Detect_TemplateInjection_IsXssTemplate(string value) =>
        Assert.Equal("xss-template", WafProbe.Rule(value));

    [Theory]
    [InlineData("shoes < 50")]
    [InlineData("a<b && c>d")]
    [InlineData("<3 love you")]
    [InlineData("<p>Hello <b>world</b></p>")]
    [InlineData("<a href=\"https://example.com/docs\">docs</a>")]
    [InlineData("<img src=\"/img/cat.png\" alt=\"A cat\">")]
    [InlineData("<span style=\"color:#f00\">red</span>")]
    [InlineData("<<insert witty comment here>>")]
    [InlineData("Map<String, List<Integer>> m")]
    [InlineData("I learned javascript: it's great")]
    [InlineData("onload vs DOMContentLoaded")]
    [InlineData("He said \"eval(x) is evil\"")]
    [InlineData("<div class=\"card\">{{ product.name }}</div>")]
    [InlineData("Escape HTML: &lt;b&gt; becomes <b>.")]
    public void Detect_HtmlSnippetsAndComparisons_PassXssRules(string value) =>
        Assert.Null(WafProbe.Rule(value));
}
