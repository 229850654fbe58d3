using System.Collections.Concurrent;

namespace Slipway.Proxy.Tls.Acme;

/// <summary>
/// HTTP-01 answers the edge's plain-HTTP listener serves at <c>/.well-known/acme-challenge/{token}</c> while an order
/// is being validated (RFC 8555 §8.3).
/// </summary>
internal sealed class AcmeChallenges
{
    private readonly ConcurrentDictionary<string, string> _answers = new(StringComparer.Ordinal);

    public void Add(string token, string keyAuthorization) => _answers[token] = keyAuthorization;

    public void Remove(string token) => _answers.TryRemove(token, out _);

    /// <summary>The key authorization for a request to <paramref name="path"/>, or null when no order waits on that token.</summary>
    public string? AnswerFor(string? path) =>
        path is not null && path.StartsWith(Edge.MaintenanceStep.AcmeChallengePrefix, StringComparison.Ordinal)
            ? _answers.GetValueOrDefault(path[Edge.MaintenanceStep.AcmeChallengePrefix.Length..])
            : null;
}
