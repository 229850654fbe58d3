using System.Security.Cryptography;
using System.Text.Json;
using Slipway.Core.Alerting;
using Slipway.Core.Primitives;

namespace Slipway.Control.Notifications;

/// <summary>
/// Silences, kept in <c>silences.json</c> in the state directory so they outlive a daemon restart (or only in
/// memory when there is no directory). Expired silences are dropped when the file is next written. Thread-safe.
/// </summary>
internal sealed class SilenceStore
{
    public const string FileName = "silences.json";

    private readonly string? _path;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private List<Silence> _silences = [];

    /// <exception cref="IOException">The file exists but cannot be read.</exception>
    /// <exception cref="JsonException">The file is not a silences file.</exception>
    public SilenceStore(string? directory, TimeProvider time)
    {
        _time = time;
        if (directory is not null)
        {
            _path = Path.Combine(directory, FileName);
            if (File.Exists(_path))
            {
                using var stream = File.OpenRead(_path);
                _silences = JsonSerializer.Deserialize(stream, SilenceJsonContext.Default.ListSilence) ?? [];
            }
        }
    }

    /// <summary>Silences that have not expired, oldest first.</summary>
    public IReadOnlyList<Silence> List()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            return [.. _silences.Where(s => s.EndsAt > now)];
        }
    }

    public Silence Add(IReadOnlyList<LabelMatcher> matchers, TimeSpan duration, string createdBy, string comment)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        if (matchers.Count == 0)
        {
            throw new ArgumentException("a silence needs at least one matcher", nameof(matchers));
        }

        var now = _time.GetUtcNow();
        var silence = new Silence(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), matchers, now, now + duration, createdBy, comment);
        lock (_lock)
        {
            _silences = [.. _silences.Where(s => s.EndsAt > now), silence];
            Save();
        }

        return silence;
    }

    /// <summary>Ends a silence now; false when there is no such (unexpired) silence.</summary>
    public bool Remove(string id)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            var removed = _silences.RemoveAll(s => s.Id == id && s.EndsAt > now) > 0;
            if (removed)
            {
                _silences = [.. _silences.Where(s => s.EndsAt > now)];
                Save();
            }

            return removed;
        }
    }

    /// <summary>The active silence that mutes <paramref name="labels"/>, if any.</summary>
    public Silence? Silencing(IReadOnlyDictionary<string, string> labels)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            return _silences.FirstOrDefault(s => s.IsActive(now) && s.Matches(labels));
        }
    }

    private void Save()
    {
        if (_path is not null)
        {
            PrivateFile.Replace(_path, JsonSerializer.SerializeToUtf8Bytes(_silences, SilenceJsonContext.Default.ListSilence));
        }
    }
}
