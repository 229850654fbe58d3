using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace Slipway.Proxy.Tls.Acme;

internal sealed partial class AcmeClient
{
    /// <summary>
    /// Registers the account (or finds it: newAccount answers the existing one for a known key), orders a certificate
    /// for <paramref name="hosts"/>, answers each HTTP-01 challenge through <see cref="AcmeChallenges"/>, finalizes
    /// with a CSR for a new P-256 key and downloads the chain.
    /// </summary>
    public async Task<AcmeCertificate> IssueAsync(IReadOnlyList<string> hosts, string? email, CancellationToken cancel)
    {
        await AccountAsync(email, cancel);
        var orderUrl = await NewOrderAsync(hosts, cancel);
        var order = await GetAsync(orderUrl, cancel);
        foreach (var authorization in order["authorizations"]!.AsArray())
        {
            await AuthorizeAsync(new Uri(authorization!.GetValue<string>()), cancel);
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={hosts[0]}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build());
        var csr = AcmeAccountKey.Base64Url(request.CreateSigningRequest());
        using (await PostAsync(new Uri(order["finalize"]!.GetValue<string>()), new JsonObject { ["csr"] = csr }.ToJsonString(), cancel))
        {
        }

        order = await PollAsync(orderUrl, "order", status => status is "valid" or "invalid", cancel);
        if (order["status"]!.GetValue<string>() != "valid")
        {
            throw new AcmeException($"the ACME server did not issue the certificate for {string.Join(", ", hosts)}: {Error(order)}");
        }

        using var download = await PostAsync(new Uri(order["certificate"]!.GetValue<string>()), "", cancel, "application/pem-certificate-chain");
        var chain = await download.Content.ReadAsStringAsync(cancel);
        return new AcmeCertificate(chain, key.ExportPkcs8PrivateKeyPem());
    }

    private async Task AccountAsync(string? email, CancellationToken cancel)
    {
        if (_accountUrl is not null)
        {
            return;
        }

        var account = new JsonObject { ["termsOfServiceAgreed"] = true };
        if (!string.IsNullOrEmpty(email))
        {
            account["contact"] = new JsonArray($"mailto:{email}");
        }

        using var response = await PostAsync(new Uri(await ResourceAsync("newAccount", cancel)), account.ToJsonString(), cancel);
        _accountUrl = response.Headers.Location?.AbsoluteUri ?? throw new AcmeException("the ACME server created the account without saying where it is (no Location)");
    }

    private async Task<Uri> NewOrderAsync(IReadOnlyList<string> hosts, CancellationToken cancel)
    {
        var identifiers = new JsonArray([.. hosts.Select(host => (JsonNode)new JsonObject { ["type"] = "dns", ["value"] = host })]);
        using var response = await PostAsync(new Uri(await ResourceAsync("newOrder", cancel)), new JsonObject { ["identifiers"] = identifiers }.ToJsonString(), cancel);
        return response.Headers.Location ?? throw new AcmeException("the ACME server created the order without saying where it is (no Location)");
    }

    private async Task AuthorizeAsync(Uri url, CancellationToken cancel)
    {
        var authorization = await GetAsync(url, cancel);
        var host = authorization["identifier"]?["value"]?.GetValue<string>() ?? url.AbsoluteUri;
        if (authorization["status"]?.GetValue<string>() == "valid")
        {
            return;
        }

        var challenge = authorization["challenges"]!.AsArray().OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == "http-01")
            ?? throw new AcmeException($"the ACME server offers no http-01 challenge for {host}; only HTTP-01 is supported");
        var token = challenge["token"]!.GetValue<string>();
        _challenges.Add(token, $"{token}.{_key.Thumbprint}");
        try
        {
            using (await PostAsync(new Uri(challenge["url"]!.GetValue<string>()), "{}", cancel))
            {
            }

            authorization = await PollAsync(url, "authorization", status => status is not "pending", cancel);
            if (authorization["status"]!.GetValue<string>() != "valid")
            {
                var failed = authorization["challenges"]!.AsArray().OfType<JsonObject>().FirstOrDefault(c => c["error"] is not null) ?? authorization;
                throw new AcmeException($"the ACME server could not validate {host} over HTTP-01: {Error(failed)}; does {host} resolve to this machine and reach its plain-HTTP listener on port 80?");
            }
        }
        finally
        {
            _challenges.Remove(token);
        }
    }

    private async Task<JsonObject> GetAsync(Uri url, CancellationToken cancel)
    {
        using var response = await PostAsync(url, "", cancel);
        return await ReadObjectAsync(response, url, cancel);
    }

    /// <summary>Looks at <paramref name="url"/> until <paramref name="done"/> holds for its status, honouring Retry-After.</summary>
    private async Task<JsonObject> PollAsync(Uri url, string what, Func<string, bool> done, CancellationToken cancel)
    {
        var deadline = _time.GetUtcNow() + PollTimeout;
        while (true)
        {
            TimeSpan wait;
            using (var response = await PostAsync(url, "", cancel))
            {
                var resource = await ReadObjectAsync(response, url, cancel);
                if (done(resource["status"]?.GetValue<string>() ?? ""))
                {
                    return resource;
                }

                wait = RetryAfter(response) ?? PollInterval;
            }

            if (_time.GetUtcNow() + wait > deadline)
            {
                throw new AcmeException($"the ACME {what} at {url} was still not done after {PollTimeout.TotalSeconds:0}s");
            }

            await Task.Delay(wait, _time, cancel);
        }
    }

    private static string Error(JsonObject resource) => resource["error"] is JsonObject error
        ? $"{error["detail"]?.GetValue<string>() ?? "(no detail)"} ({error["type"]?.GetValue<string>()})"
        : $"status {resource["status"]?.GetValue<string>()}";
}
