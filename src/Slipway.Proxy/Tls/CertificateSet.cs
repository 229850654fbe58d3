using System.Collections.Frozen;
using System.Net.Security;
using System.Security.Authentication;

namespace Slipway.Proxy.Tls;

/// <summary>
/// One immutable generation of the edge's certificates, each with its handshake options built once. Rotation builds
/// a new set and swaps it in; a connection keeps whatever it was handed at its handshake.
/// </summary>
internal sealed class CertificateSet
{
    private readonly SslServerAuthenticationOptions? _default;
    private readonly FrozenDictionary<string, SslServerAuthenticationOptions> _exact;
    private readonly FrozenDictionary<string, SslServerAuthenticationOptions> _wildcard;

    /// <param name="certificates">The default first (none at all until ACME issues the first). A name two certificates carry goes to the earlier one (validation refuses that anyway).</param>
    public CertificateSet(IReadOnlyList<ServedCertificate> certificates, SslProtocols minVersion)
    {
        Certificates = certificates;
        var exact = new Dictionary<string, SslServerAuthenticationOptions>(StringComparer.OrdinalIgnoreCase);
        var wildcard = new Dictionary<string, SslServerAuthenticationOptions>(StringComparer.OrdinalIgnoreCase);
        SslServerAuthenticationOptions? first = null;
        foreach (var (_, certificate) in certificates)
        {
            var options = TlsPolicy.ServerOptions(certificate, minVersion);
            first ??= options;
            foreach (var name in certificate.Names)
            {
                if (name.StartsWith("*.", StringComparison.Ordinal))
                {
                    wildcard.TryAdd(name[2..], options);
                }
                else
                {
                    exact.TryAdd(name, options);
                }
            }
        }

        _default = first;
        _exact = exact.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _wildcard = wildcard.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<ServedCertificate> Certificates { get; }

    /// <summary>
    /// The certificate for the name the client sent (SNI): an exact name first, then a wildcard one label up
    /// (<c>*.example.com</c> covers <c>a.example.com</c>, not <c>a.b.example.com</c>), then the default; null when
    /// there is no certificate at all yet.
    /// </summary>
    public SslServerAuthenticationOptions? Select(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
        {
            return _default;
        }

        if (_exact.TryGetValue(serverName, out var exact))
        {
            return exact;
        }

        var dot = serverName.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && _wildcard.TryGetValue(serverName[(dot + 1)..], out var wildcard) ? wildcard : _default;
    }
}
