using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Slipway.Core.Primitives;

namespace Slipway.Server.Auth;

/// <summary>
/// Dashboard sessions in <c>&lt;state-dir&gt;/sessions.json</c> (0600), so a daemon restart does not sign everyone out.
/// Only hashes of session ids are stored: the file alone opens nothing. Each session lasts <see cref="Lifetime"/>
/// from sign-in (no sliding renewal: a stolen cookie stops working on schedule).
/// </summary>
internal sealed class SessionStore
{
    public const string FileName = "sessions.json";

    /// <summary>Sessions kept at most; the oldest goes first, so a sign-in loop cannot grow the file without bound.</summary>
    public const int MaxSessions = 1000;

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private List<Session> _sessions;

    public SessionStore(string stateDirectory, TimeProvider time, TimeSpan? lifetime = null)
    {
        _path = Path.Combine(stateDirectory, FileName);
        _time = time;
        Lifetime = lifetime ?? TimeSpan.FromHours(12);
        _sessions = Load(_path);
    }

    public TimeSpan Lifetime { get; }

    /// <summary>Opens a session for <paramref name="token"/>; returns the cookie value (shown once) and the session.</summary>
    public (string Id, Session Session) Open(TokenRecord token)
    {
        var id = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = _time.GetUtcNow();
        var session = new Session(HashOf(id), token.Hash, token.Name, Base64Url(RandomNumberGenerator.GetBytes(32)), now, now + Lifetime);
        lock (_lock)
        {
            var next = _sessions.Where(s => s.Expires > now).TakeLast(MaxSessions - 1).Append(session).ToList();
            Save(next);
            _sessions = next;
        }

        return (id, session);
    }

    /// <summary>The session a cookie value names, with whether it has expired (an expired one is forgotten).</summary>
    public SessionLookup Find(string id)
    {
        var hash = HashOf(id);
        lock (_lock)
        {
            var session = _sessions.FirstOrDefault(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s.IdHash), Encoding.ASCII.GetBytes(hash)));
            if (session is null)
            {
                return new SessionLookup(null, false);
            }

            if (session.Expires > _time.GetUtcNow())
            {
                return new SessionLookup(session, false);
            }

            RemoveLocked(session);
            return new SessionLookup(null, true);
        }
    }

    /// <summary>Ends a session (sign-out, or its token was revoked).</summary>
    public void End(Session session)
    {
        lock (_lock)
        {
            RemoveLocked(session);
        }
    }

    /// <summary>How many sessions are open, for tests and the operations page's figures.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _sessions.Count;
            }
        }
    }

    public static string HashOf(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));

    private void RemoveLocked(Session session)
    {
        var next = _sessions.Where(s => s.IdHash != session.IdHash).ToList();
        if (next.Count != _sessions.Count)
        {
            Save(next);
            _sessions = next;
        }
    }

    private static List<Session> Load(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<Session>>(File.ReadAllBytes(path)) ?? [];
        }
        catch (JsonException)
        {
            // A torn or edited file signs everyone out; it never stops the daemon.
            return [];
        }
    }

    private void Save(List<Session> sessions) =>
        PrivateFile.Replace(_path, JsonSerializer.SerializeToUtf8Bytes(sessions, new JsonSerializerOptions { WriteIndented = true }));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
