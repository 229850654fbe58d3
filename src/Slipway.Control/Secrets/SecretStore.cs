using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Slipway.Core.Primitives;

namespace Slipway.Control.Secrets;

/// <summary>
/// Secrets at rest in <c>&lt;state-dir&gt;/secrets.json</c> (0600), each value sealed with AES-256-GCM under the
/// master key, with its name as associated data so a ciphertext cannot be moved to another name unnoticed.
/// A fresh random 96-bit nonce per write; at a few writes per secret the nonce-reuse bound is nowhere near.
/// </summary>
internal sealed class SecretStore : ISecretSource
{
    public const string FileName = "secrets.json";

    /// <summary>
    /// The largest value, in UTF-8 bytes. A value becomes an environment variable of the services that use it, and
    /// Linux refuses to start a program with one over 128 KiB (or all of them over about 2 MB).
    /// </summary>
    public const int MaxValueBytes = 64 * 1024;

    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly string _path;
    private readonly byte[] _key;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private Dictionary<string, SecretEntry> _entries;

    public SecretStore(string stateDirectory, byte[] key, TimeProvider time)
    {
        if (key.Length != MasterKey.Length)
        {
            throw new ArgumentException($"the master key must be {MasterKey.Length} bytes", nameof(key));
        }

        _path = Path.Combine(stateDirectory, FileName);
        _key = key;
        _time = time;
        _entries = Load(_path);
    }

    /// <summary>
    /// The store in <paramref name="stateDirectory"/> under its master key, checked: a store that holds secrets
    /// never gets a new key, and a key that does not decrypt them is refused before anything uses it.
    /// </summary>
    /// <exception cref="InvalidOperationException">No usable key, or the wrong one; the message names the fix.</exception>
    public static SecretStore Open(string stateDirectory, Func<string, string?> environment, TimeProvider time)
    {
        var path = Path.Combine(stateDirectory, FileName);
        var stored = Load(path);
        var store = new SecretStore(stateDirectory, MasterKey.Load(stateDirectory, environment, mayCreate: stored.Count == 0), time);
        if (stored.Keys.FirstOrDefault() is { } name)
        {
            try
            {
                store.TryGet(name, out _);
            }
            catch (CryptographicException)
            {
                throw new InvalidOperationException(
                    $"the master key cannot decrypt the secrets in {path}: they were stored under another key; start with "
                    + $"{MasterKey.EnvironmentVariable} (or {MasterKey.FileName}) set to that key");
            }
        }

        return store;
    }

    /// <summary>A key for another use (the audit chain's), derived from the master key with HKDF under <paramref name="purpose"/>.</summary>
    public byte[] DeriveKey(string purpose) => HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, MasterKey.Length, info: Encoding.UTF8.GetBytes(purpose));

    public IReadOnlyList<SecretInfo> List()
    {
        lock (_lock)
        {
            return [.. _entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new SecretInfo(e.Key, e.Value.Updated))];
        }
    }

    public bool Contains(string name)
    {
        lock (_lock)
        {
            return _entries.ContainsKey(name);
        }
    }

    /// <exception cref="ArgumentException">The value is over <see cref="MaxValueBytes"/>.</exception>
    public void Set(string name, string value)
    {
        if (Encoding.UTF8.GetByteCount(value) > MaxValueBytes)
        {
            throw new ArgumentException($"a secret value is at most {MaxValueBytes / 1024} KiB", nameof(value));
        }

        var plain = Encoding.UTF8.GetBytes(value);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var cipher = new byte[plain.Length];
        var tag = new byte[TagBytes];
        using (var aes = new AesGcm(_key, TagBytes))
        {
            aes.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes(name));
        }

        CryptographicOperations.ZeroMemory(plain);
        lock (_lock)
        {
            var next = new Dictionary<string, SecretEntry>(_entries, StringComparer.Ordinal)
            {
                [name] = new SecretEntry(Convert.ToBase64String(nonce), Convert.ToBase64String(cipher), Convert.ToBase64String(tag), _time.GetUtcNow()),
            };
            Save(next);
            _entries = next;
        }
    }

    public bool Remove(string name)
    {
        lock (_lock)
        {
            if (!_entries.ContainsKey(name))
            {
                return false;
            }

            var next = new Dictionary<string, SecretEntry>(_entries, StringComparer.Ordinal);
            next.Remove(name);
            Save(next);
            _entries = next;
            return true;
        }
    }

    public bool TryGet(string name, out string value)
    {
        SecretEntry? entry;
        lock (_lock)
        {
            _entries.TryGetValue(name, out entry);
        }

        if (entry is null)
        {
            value = "";
            return false;
        }

        var cipher = Convert.FromBase64String(entry.Ciphertext);
        var plain = new byte[cipher.Length];
        using (var aes = new AesGcm(_key, TagBytes))
        {
            // A wrong key or an edited file throws AuthenticationTagMismatchException: better than a wrong value.
            aes.Decrypt(Convert.FromBase64String(entry.Nonce), cipher, Convert.FromBase64String(entry.Tag), plain, Encoding.UTF8.GetBytes(name));
        }

        value = Encoding.UTF8.GetString(plain);
        CryptographicOperations.ZeroMemory(plain);
        return true;
    }

    private static Dictionary<string, SecretEntry> Load(string path)
    {
        if (!File.Exists(path))
        {
            return new Dictionary<string, SecretEntry>(StringComparer.Ordinal);
        }

        var loaded = JsonSerializer.Deserialize<Dictionary<string, SecretEntry>>(File.ReadAllBytes(path));
        return new Dictionary<string, SecretEntry>(loaded ?? [], StringComparer.Ordinal);
    }

    private void Save(Dictionary<string, SecretEntry> entries) =>
        PrivateFile.Replace(_path, JsonSerializer.SerializeToUtf8Bytes(entries, new JsonSerializerOptions { WriteIndented = true }));
}
