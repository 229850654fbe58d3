using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using Slipway.Core.Primitives;

namespace Slipway.Proxy.Tls.Acme;

/// <summary>
/// Keeps each ACME host's certificate issued: at start for a host with none, then two thirds into its lifetime, and
/// after a failure on <see cref="AcmeBackoff"/>. An issued certificate is written to the state directory (0600) and
/// handed to the store's rotation path, so new handshakes use it with no restart. A failure is reported with the CA's
/// words and retried; it never stops the daemon.
/// </summary>
internal sealed class AcmeRenewals : IAsyncDisposable
{
    /// <summary>Wakes at least this often, so a clock that jumps is noticed.</summary>
    private static readonly TimeSpan LongestSleep = TimeSpan.FromHours(1);

    private readonly AcmeOptions _options;
    private readonly CertificateStore _store;
    private readonly AcmeClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, AcmeHostStatus> _status = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _failures = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private readonly IDisposable[] _owned;

    public AcmeRenewals(AcmeOptions options, CertificateStore store, AcmeClient client, TimeProvider time, ILogger logger, params IDisposable[] owned)
    {
        _owned = owned;
        _options = options;
        _store = store;
        _client = client;
        _time = time;
        _logger = logger;
        foreach (var host in options.Hosts)
        {
            var next = Served(host) is { } served ? AcmeBackoff.RenewAt(served.NotBefore, served.NotAfter) : time.GetUtcNow();
            _status[host] = new AcmeHostStatus(host, null, null, null, next);
            _failures[host] = 0;
        }
    }

    /// <summary>Called with (host, succeeded, what happened) after every attempt; the daemon makes it an event.</summary>
    public event Action<string, bool, string>? Attempted;

    public IReadOnlyList<AcmeHostStatus> Status
    {
        get
        {
            lock (_status)
            {
                return [.. _options.Hosts.Select(host => _status[host])];
            }
        }
    }

    /// <summary>
    /// The account key (made on first use, 0600) and an HTTP client for <see cref="AcmeOptions.Directory"/>, owned by
    /// the result; throws <see cref="AcmeException"/> when the stored key cannot be read.
    /// </summary>
    public static AcmeRenewals Create(AcmeOptions options, CertificateStore store, AcmeChallenges challenges, TimeProvider time, ILogger logger)
    {
        AcmeAccountKey key;
        try
        {
            key = AcmeAccountKey.LoadOrCreate(options.AccountKeyFile);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new AcmeException($"the ACME account key {options.AccountKeyFile} cannot be read ({e.Message}); restore it, or delete it to register a new account", inner: e);
        }

        var http = AcmeHttp.Create(options.TrustedCa);
        return new AcmeRenewals(options, store, new AcmeClient(http, options.Directory, key, challenges, time), time, logger, http, key);
    }

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    /// <summary>One pass: every host whose next attempt is due now is ordered, one after the other.</summary>
    public async Task RenewDueAsync(CancellationToken cancel)
    {
        foreach (var host in _options.Hosts)
        {
            if (StatusOf(host).NextAttempt <= _time.GetUtcNow())
            {
                await RenewAsync(host, cancel).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await RenewDueAsync(stop).ConfigureAwait(false);
                var wait = Status.Min(s => s.NextAttempt) - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait < LongestSleep ? wait : LongestSleep, _time, stop).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task RenewAsync(string host, CancellationToken cancel)
    {
        var attempted = _time.GetUtcNow();
        string result;
        bool succeeded;
        DateTimeOffset next;
        try
        {
            var issued = await _client.IssueAsync([host], _options.Email, cancel).ConfigureAwait(false);
            var file = _options.CertificateFile(host);
            PrivateDirectory.Create(_options.Folder);
            PrivateFile.Replace(file, Encoding.ASCII.GetBytes(issued.ChainPem.TrimEnd() + "\n" + issued.KeyPem));
            using var leaf = X509Certificate2.CreateFromPem(issued.ChainPem);
            _store.Reload();
            var served = Served(host);
            if (served?.Leaf.Thumbprint != leaf.Thumbprint)
            {
                throw new AcmeException($"the certificate the CA issued for {host} was written to {file} but cannot serve (see the certificate-rejected event)");
            }

            result = $"issued by {served.Leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: true)}, valid until {served.NotAfter:u}";
            succeeded = true;
            next = AcmeBackoff.NextAfterIssued(served.NotBefore, served.NotAfter, _time.GetUtcNow());
            _failures[host] = 0;
            Log.AcmeIssued(_logger, host, result);
        }
        catch (Exception e) when (e is AcmeException or IOException or UnauthorizedAccessException or CryptographicException
            || e is OperationCanceledException && !cancel.IsCancellationRequested
            || e is InvalidOperationException or NullReferenceException or FormatException)
        {
            var failures = ++_failures[host];
            var problem = e as AcmeException;
            next = attempted + AcmeBackoff.After(failures, problem?.RetryAfter, problem?.IsRateLimited == true);
            result = e switch
            {
                AcmeException or IOException or UnauthorizedAccessException => e.Message,
                OperationCanceledException => $"the ACME server at {_options.Directory} did not answer in time",
                // A resource missing a member RFC 8555 requires, or a certificate that does not parse.
                _ => $"the ACME server at {_options.Directory} answered something this client cannot follow ({e.Message}); is it an RFC 8555 CA?",
            };
            result += $"; next attempt at {next:u}";
            succeeded = false;
            Log.AcmeFailed(_logger, host, result);
        }

        lock (_status)
        {
            _status[host] = new AcmeHostStatus(host, attempted, result, succeeded, next);
        }

        Attempted?.Invoke(host, succeeded, result);
    }

    private AcmeHostStatus StatusOf(string host)
    {
        lock (_status)
        {
            return _status[host];
        }
    }

    private Slipway.Core.Tls.PemCertificate? Served(string host) =>
        _store.Current.Certificates.FirstOrDefault(c => c.Files.Name == AcmeOptions.Label(host))?.Certificate;
}
