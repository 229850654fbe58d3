using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Proxy.Tls.Acme;
using Slipway.Server.Api.Contracts;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary><c>slipway certs</c>: the certificates the edge serves, and ACME's renewals.</summary>
internal static partial class ApiEndpoints
{
    private static void MapCerts(RouteGroupBuilder v1, ApiContext api) =>
        v1.MapGet("/certs", () => TypedResults.Ok(Certificates(api)))
            .Role(ApiRole.Viewer)
            .WithSummary("Every certificate the HTTPS listeners serve (source, names, issuer, expiry), with each ACME host's last and next order.");

    private static IReadOnlyList<CertificateResponse> Certificates(ApiContext api)
    {
        var now = api.Time.GetUtcNow();
        var acme = (api.Acme?.Status ?? []).ToDictionary(s => AcmeOptions.Label(s.Host), StringComparer.Ordinal);
        var served = api.Certificates?.Current.Certificates ?? [];
        var rows = new List<CertificateResponse>();
        foreach (var (files, certificate) in served)
        {
            var status = acme.GetValueOrDefault(files.Name);
            rows.Add(new CertificateResponse(
                files.Name,
                files.IssuedLater ? CertificateSource.Acme : CertificateSource.File,
                certificate.Names,
                certificate.Leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: true),
                certificate.NotAfter,
                (int)Math.Floor((certificate.NotAfter - now).TotalDays),
                status?.LastAttempt,
                status?.LastResult,
                status?.LastSucceeded,
                status?.NextAttempt));
        }

        // ACME hosts with nothing issued yet: what the CA said so far.
        foreach (var (label, status) in acme.Where(a => served.All(s => s.Files.Name != a.Key)))
        {
            rows.Add(new CertificateResponse(label, CertificateSource.Acme, [status.Host], null, null, null, status.LastAttempt, status.LastResult, status.LastSucceeded, status.NextAttempt));
        }

        return rows;
    }
}
