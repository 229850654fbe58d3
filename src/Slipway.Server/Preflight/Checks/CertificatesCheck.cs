using System.Net;
using Slipway.Core.Manifest.Model;

namespace Slipway.Server.Preflight.Checks;

/// <summary>
/// Each certificate file the proxy serves is valid for more than <see cref="Margin"/>; a public HTTPS listener has
/// plain HTTP redirected to it and HSTS on.
/// </summary>
internal sealed class CertificatesCheck : IPreflightCheck
{
    /// <summary>Renewal that has not happened two weeks before expiry needs a person.</summary>
    internal static readonly TimeSpan Margin = TimeSpan.FromDays(14);

    public string Name => "certificates";

    public bool ConcernsDeploy => false;

    public Task<IReadOnlyList<PreflightFinding>> RunAsync(PreflightContext context, CancellationToken cancel)
    {
        var findings = new List<PreflightFinding>();
        var proxy = context.Manifest.Proxy;
        if (proxy.Tls is { } tls)
        {
            foreach (var (_, files) in tls.AllFiles())
            {
                findings.Add(Expiry(context, files.Certificate));
            }
        }

        var https = proxy.Listen.Where(l => l.StartsWith("https://", StringComparison.OrdinalIgnoreCase)).ToList();
        var publicHttps = https.Where(l => !IsLoopback(l)).ToList();
        if (publicHttps.Count == 0)
        {
            findings.Add(PreflightFinding.Ok(Name, "proxy.listen", https.Count == 0 ? "no HTTPS listener: nothing to redirect to or pin with HSTS" : "HTTPS only on loopback"));
            return Task.FromResult<IReadOnlyList<PreflightFinding>>(findings);
        }

        var plain = proxy.Listen.Any(l => l.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        findings.Add(plain && proxy.Tls?.RedirectHttp != true
            ? new(Name, "proxy.tls.redirectHttp", PreflightStatus.Warn, $"plain HTTP is served beside {publicHttps[0]} without a redirect", "set proxy.tls.redirectHttp: true")
            : PreflightFinding.Ok(Name, "proxy.tls.redirectHttp", plain ? "plain HTTP answers 308 to HTTPS" : "no plain HTTP listener"));
        var hsts = proxy.Headers.Preset == HeadersPreset.Secure
            || proxy.Headers.Set.Keys.Any(k => string.Equals(k, "Strict-Transport-Security", StringComparison.OrdinalIgnoreCase));
        findings.Add(hsts
            ? PreflightFinding.Ok(Name, "proxy.headers", "HSTS is sent over HTTPS")
            : new(Name, "proxy.headers", PreflightStatus.Warn, $"{publicHttps[0]} sends no Strict-Transport-Security", "set proxy.headers: secure"));
        return Task.FromResult<IReadOnlyList<PreflightFinding>>(findings);
    }

    private PreflightFinding Expiry(PreflightContext context, string certificate)
    {
        var subject = $"certificate {certificate}";
        var notAfter = new CertificateExpiry(certificate, Path.Combine(context.ManifestDirectory, certificate)).Read();
        if (notAfter is not { } expires)
        {
            return new(Name, subject, PreflightStatus.Fail, "the file is missing or is not a certificate", $"put the PEM certificate at {certificate}");
        }

        var left = expires - context.Time.GetUtcNow();
        var evidence = $"valid until {PreflightText.Time(expires)}";
        var fix = $"renew it and replace {certificate} (the proxy picks the new file up without a restart)";
        return left <= TimeSpan.Zero ? new(Name, subject, PreflightStatus.Fail, $"expired: was {evidence}", fix)
            : left <= Margin ? new(Name, subject, PreflightStatus.Warn, $"{evidence}, {PreflightText.Days(left)} from now", fix)
            : PreflightFinding.Ok(Name, subject, $"{evidence}, {PreflightText.Days(left)} from now");
    }

    private static bool IsLoopback(string listen) =>
        Uri.TryCreate(listen, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)));
}
