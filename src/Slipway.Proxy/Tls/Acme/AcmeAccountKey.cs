using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Slipway.Core.Primitives;

namespace Slipway.Proxy.Tls.Acme;

/// <summary>
/// The account's P-256 key: signs every request (JWS ES256, RFC 7518 §3.4) and names the account by its JWK
/// thumbprint (RFC 7638) in HTTP-01 key authorizations.
/// </summary>
internal sealed class AcmeAccountKey : IDisposable
{
    private readonly ECDsa _key;

    private AcmeAccountKey(ECDsa key)
    {
        _key = key;
        var point = key.ExportParameters(false).Q;
        X = Base64Url(point.X!);
        Y = Base64Url(point.Y!);
        Thumbprint = Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes($"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{X}\",\"y\":\"{Y}\"}}")));
    }

    public string X { get; }

    public string Y { get; }

    /// <summary>Base64url SHA-256 of the JWK's required members in lexicographic order.</summary>
    public string Thumbprint { get; }

    /// <summary>The key stored at <paramref name="path"/>, or a new one written there readable by the owner only.</summary>
    public static AcmeAccountKey LoadOrCreate(string path)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            PrivateDirectory.Create(Path.GetDirectoryName(Path.GetFullPath(path))!);
            PrivateFile.WriteNew(path, key.ExportPkcs8PrivateKeyPem());
        }

        return new AcmeAccountKey(key);
    }

    public JsonObject Jwk() => new() { ["crv"] = "P-256", ["kty"] = "EC", ["x"] = X, ["y"] = Y };

    /// <summary>A flattened JWS over <paramref name="payload"/> (empty: POST-as-GET) with the given protected header.</summary>
    public string Sign(JsonObject header, string payload)
    {
        header["alg"] = "ES256";
        var protectedPart = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()));
        var payloadPart = payload.Length == 0 ? "" : Base64Url(Encoding.UTF8.GetBytes(payload));
        // ES256 wants r||s (IEEE P1363), which is what SignData gives by default, not DER.
        var signature = _key.SignData(Encoding.ASCII.GetBytes($"{protectedPart}.{payloadPart}"), HashAlgorithmName.SHA256);
        return new JsonObject { ["protected"] = protectedPart, ["payload"] = payloadPart, ["signature"] = Base64Url(signature) }.ToJsonString();
    }

    public void Dispose() => _key.Dispose();

    internal static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
