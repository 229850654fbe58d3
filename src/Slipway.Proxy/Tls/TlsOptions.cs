using System.Security.Authentication;
using Slipway.Proxy.Tls.Acme;

namespace Slipway.Proxy.Tls;

/// <summary>What the edge's HTTPS listeners serve.</summary>
internal sealed record TlsOptions
{
    /// <summary>The default certificate first (served when no other names the host), then the others, chosen by SNI; may be empty until ACME issues one.</summary>
    public required IReadOnlyList<CertificateFiles> Certificates { get; init; }

    /// <summary><see cref="SslProtocols.Tls12"/> or <see cref="SslProtocols.Tls13"/>; nothing older is ever offered.</summary>
    public SslProtocols MinVersion { get; init; } = SslProtocols.Tls12;

    /// <summary>Plain-HTTP edge requests are answered 308 to the first HTTPS listener.</summary>
    public bool RedirectHttp { get; init; }

    /// <summary>How often the files are checked for a change; new handshakes use a changed certificate within this.</summary>
    public TimeSpan ReloadInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>HTTP-01 answers the plain-HTTP edge listeners serve for an ACME order in progress; null without ACME.</summary>
    public AcmeChallenges? Challenges { get; init; }

    /// <summary>Called (on a timer thread) with the reason when a changed file cannot serve and the old certificate stays.</summary>
    public Action<string>? OnRejected { get; init; }
}

/// <summary>A PEM certificate chain and its key (null: the key is in the certificate file), as absolute paths.</summary>
internal sealed record CertificateFiles(string Certificate, string? Key)
{
    /// <summary>How <c>certs</c>, alerts and events name it: the manifest's path, or <c>acme:HOST</c>; the file's path when unset.</summary>
    public string? Label { get; init; }

    public string Name => Label ?? Certificate;

    /// <summary>ACME writes these once issued: missing (or unusable) files at start mean "nothing to serve yet", not a refusal.</summary>
    public bool IssuedLater { get; init; }
}
