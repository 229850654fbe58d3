using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Slipway.Core.Primitives;

namespace Slipway.Server.Auth;

/// <summary>
/// API tokens in <c>&lt;state-dir&gt;/tokens.json</c> (0600), stored as SHA-256 hashes.
/// </summary>
/// <remarks>
/// Why a plain SHA-256 and not bcrypt/argon2: those are slow on purpose to make guessing a low-entropy
/// <em>password</em> from its hash expensive. A token here is 256 random bits; nobody can enumerate that space
/// whatever the hash costs, so a slow hash would only add latency to every API call (and a DoS lever) without
/// adding any security. Comparison is constant-time over every stored hash so timing says nothing about which matched.
/// </remarks>
internal sealed partial class TokenStore
{
    public const string FileName = "tokens.json";
    public const string AdminTokenFile = "admin.token";
    public const string Prefix = "slw_";

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private List<TokenRecord> _tokens;

    public TokenStore(string stateDirectory, TimeProvider time)
    {
        _path = Path.Combine(stateDirectory, FileName);
        _time = time;
        _tokens = File.Exists(_path)
            ? JsonSerializer.Deserialize<List<TokenRecord>>(File.ReadAllBytes(_path)) ?? []
            : [];
    }

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>On first start (no tokens at all): an <c>admin</c> token, written to <c>admin.token</c> (0600) and nowhere else.</summary>
    /// <returns>True when it was issued now; false when tokens already existed.</returns>
    public bool EnsureAdmin(string stateDirectory)
    {
        lock (_lock)
        {
            if (_tokens.Count > 0)
            {
                return false;
            }
        }

        var token = Create("admin", ApiRole.Admin);
        var path = Path.Combine(stateDirectory, AdminTokenFile);
        File.Delete(path);
        PrivateFile.WriteNew(path, token + "\n");
        return true;
    }

    public IReadOnlyList<TokenRecord> List()
    {
        lock (_lock)
        {
            return [.. _tokens];
        }
    }

    /// <summary>Issues a new token; throws <see cref="InvalidOperationException"/> when the name is taken.</summary>
    public string Create(string name, ApiRole role)
    {
        var token = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        lock (_lock)
        {
            if (_tokens.Any(t => t.Name == name))
            {
                throw new InvalidOperationException($"a token named {name} already exists");
            }

            var next = new List<TokenRecord>(_tokens) { new(name, role, HashOf(token), _time.GetUtcNow()) };
            Save(next);
            _tokens = next;
        }

        return token;
    }

    public bool Revoke(string name)
    {
        lock (_lock)
        {
            var next = _tokens.Where(t => t.Name != name).ToList();
            if (next.Count == _tokens.Count)
            {
                return false;
            }

            Save(next);
            _tokens = next;
            return true;
        }
    }

    public TokenRecord? Authenticate(string presented)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        List<TokenRecord> tokens;
        lock (_lock)
        {
            tokens = _tokens;
        }

        TokenRecord? match = null;
        foreach (var token in tokens)
        {
            // Every stored hash is compared, each in constant time, whether or not one already matched.
            if (CryptographicOperations.FixedTimeEquals(hash, Convert.FromHexString(token.Hash)))
            {
                match = token;
            }
        }

        return match;
    }

    /// <summary>The token whose hash is <paramref name="hash"/>, while it is not revoked: what a session stands for.</summary>
    public TokenRecord? FindByHash(string hash)
    {
        List<TokenRecord> tokens;
        lock (_lock)
        {
            tokens = _tokens;
        }

        return tokens.FirstOrDefault(t => string.Equals(t.Hash, hash, StringComparison.Ordinal));
    }

    private static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private void Save(List<TokenRecord> tokens) =>
        PrivateFile.Replace(_path, JsonSerializer.SerializeToUtf8Bytes(tokens, new JsonSerializerOptions { WriteIndented = true }));

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$")]
    private static partial Regex NamePattern();
}
