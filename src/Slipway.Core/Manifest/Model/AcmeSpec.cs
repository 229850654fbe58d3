using System.Net;
using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// Certificates the edge obtains and renews itself over ACME (RFC 8555), proving each host with HTTP-01 on its
/// plain-HTTP listener: one certificate per host, so a host the CA cannot reach does not hold back the others.
/// </summary>
internal sealed record AcmeSpec : IValidatedSpec
{
    public const string LetsEncrypt = "https://acme-v02.api.letsencrypt.org/directory";

    /// <summary>The account's contact, where the CA sends expiry and policy mail; none is allowed.</summary>
    public string? Email { get; init; }

    /// <summary>The CA's directory URL: Let's Encrypt production by default, its staging or any other ACME CA by URL.</summary>
    public string Directory { get; init; } = LetsEncrypt;

    /// <summary>The DNS names to obtain certificates for; each must resolve to this machine and reach its port 80.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>A PEM CA certificate, relative to the manifest, trusted (alone) for the directory's HTTPS: a private CA.</summary>
    public string? TrustedCa { get; init; }

    public void Validate(SpecContext context)
    {
        if (!Uri.TryCreate(Directory, UriKind.Absolute, out var uri) || uri.Scheme != "https")
        {
            context.Error("directory", $"must be the https:// URL of an ACME directory, such as {LetsEncrypt} (got \"{Directory}\")");
        }

        if (Hosts.Count == 0)
        {
            context.Error("hosts", "must name at least one host to obtain a certificate for");
        }

        if (Email is not null && !Email.Contains('@', StringComparison.Ordinal))
        {
            context.Error("email", $"must be an e-mail address (got \"{Email}\")");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Hosts.Count; i++)
        {
            var host = Hosts[i];
            if (host.StartsWith("*.", StringComparison.Ordinal))
            {
                context.Error($"hosts[{i}]", $"is a wildcard ({host}), which HTTP-01 cannot prove; name each host, or give a wildcard certificate in `certificates`");
            }
            else if (IPAddress.TryParse(host, out _) || Uri.CheckHostName(host) != UriHostNameType.Dns || !host.Contains('.', StringComparison.Ordinal))
            {
                context.Error($"hosts[{i}]", $"must be a DNS name such as shop.example.com (got \"{host}\")");
            }
            else if (!seen.Add(host))
            {
                context.Error($"hosts[{i}]", $"names {host} twice");
            }
        }
    }
}
