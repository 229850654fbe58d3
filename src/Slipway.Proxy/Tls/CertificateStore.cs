using Microsoft.Extensions.Logging;
using Slipway.Core.Tls;

namespace Slipway.Proxy.Tls;

/// <summary>
/// The edge's current <see cref="CertificateSet"/>, and its rotation: every <see cref="TlsOptions.ReloadInterval"/>
/// (on the injected clock) each pair of files is checked for a change of size or write time, and a changed pair is
/// loaded and checked like at start. A good one replaces its certificate in a new set; a bad one leaves the old
/// certificate serving and is reported once per change. Polling, not FileSystemWatcher: an atomic rename or a
/// Kubernetes secret's symlink swap is missed by inotify watches on the old inode.
/// </summary>
internal sealed class CertificateStore : IDisposable
{
    private readonly TlsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Source[] _sources;
    private readonly Lock _reloading = new();
    private ITimer? _timer;
    private volatile CertificateSet _current;

    /// <summary>Loads every certificate now; throws <see cref="CertificateFileException"/> naming the first that cannot serve.</summary>
    public CertificateStore(TlsOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        var now = time.GetUtcNow();
        _sources = [.. options.Certificates.Select(files => new Source(files, Fingerprint.Of(files), LoadAtStart(files, now, logger)))];
        _current = Build();
        foreach (var source in _sources.Where(s => s.Certificate is not null))
        {
            Log.CertificateLoaded(logger, source.Files.Certificate, string.Join(", ", source.Certificate!.Names), source.Certificate.NotAfter);
        }
    }

    public CertificateSet Current => _current;

    /// <summary>Starts checking the files for changes.</summary>
    public void StartWatching() =>
        _timer ??= _time.CreateTimer(static state => ((CertificateStore)state!).Reload(), this, _options.ReloadInterval, _options.ReloadInterval);

    /// <summary>Loads whatever changed since the last look; true when a new set was swapped in.</summary>
    public bool Reload()
    {
        lock (_reloading)
        {
            var changed = false;
            var now = _time.GetUtcNow();
            foreach (var source in _sources)
            {
                var fingerprint = Fingerprint.Of(source.Files);
                if (fingerprint == source.Seen)
                {
                    continue;
                }

                // Remembered before loading: a bad file is reported once, not on every tick until it is fixed.
                source.Seen = fingerprint;
                try
                {
                    if (source.Files.IssuedLater && fingerprint.CertificateLength < 0)
                    {
                        continue;
                    }

                    var certificate = PemCertificate.Load(source.Files.Certificate, source.Files.Key, now);
                    if (_sources.FirstOrDefault(s => s != source && s.Certificate is not null && s.Certificate.Names.Intersect(certificate.Names).Any()) is { } clash)
                    {
                        throw new CertificateFileException(
                            $"{source.Files.Certificate} now names {string.Join(", ", clash.Certificate!.Names.Intersect(certificate.Names))}, which {clash.Files.Certificate} serves");
                    }

                    source.Certificate = certificate;
                    changed = true;
                    Log.CertificateLoaded(_logger, source.Files.Certificate, string.Join(", ", certificate.Names), certificate.NotAfter);
                }
                catch (CertificateFileException e)
                {
                    Log.CertificateRejected(_logger, e.Message);
                    _options.OnRejected?.Invoke(e.Message);
                }
            }

            if (changed)
            {
                _current = Build();
            }

            return changed;
        }
    }

    public void Dispose() => _timer?.Dispose();

    // The replaced certificates are not disposed: a handshake may still hold the old set, and SslStream reads its
    // context after the selection returns. The finalizer frees them once nothing does.
    private CertificateSet Build() => new([.. _sources.Where(s => s.Certificate is not null).Select(s => new ServedCertificate(s.Files, s.Certificate!))], _options.MinVersion);

    /// <summary>A file the manifest names must serve; an ACME file that is missing or unusable (expired while the daemon was off) is issued again.</summary>
    private static PemCertificate? LoadAtStart(CertificateFiles files, DateTimeOffset now, ILogger logger)
    {
        if (!files.IssuedLater)
        {
            return PemCertificate.Load(files.Certificate, files.Key, now);
        }

        if (!File.Exists(files.Certificate))
        {
            return null;
        }

        try
        {
            return PemCertificate.Load(files.Certificate, files.Key, now);
        }
        catch (CertificateFileException e)
        {
            Log.AcmeStoredUnusable(logger, e.Message);
            return null;
        }
    }

    private sealed class Source(CertificateFiles files, Fingerprint seen, PemCertificate? certificate)
    {
        public CertificateFiles Files { get; } = files;

        public Fingerprint Seen { get; set; } = seen;

        /// <summary>Null while an ACME certificate is not issued yet.</summary>
        public PemCertificate? Certificate { get; set; } = certificate;
    }

    /// <summary>Size and write time of both files; an unreadable file counts as changed to "missing".</summary>
    private readonly record struct Fingerprint(long CertificateLength, DateTime CertificateWritten, long KeyLength, DateTime KeyWritten)
    {
        public static Fingerprint Of(CertificateFiles files)
        {
            var (certificateLength, certificateWritten) = Stat(files.Certificate);
            var (keyLength, keyWritten) = files.Key is null ? (0, default) : Stat(files.Key);
            return new Fingerprint(certificateLength, certificateWritten, keyLength, keyWritten);
        }

        private static (long, DateTime) Stat(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? (info.Length, info.LastWriteTimeUtc) : (-1, default);
        }
    }
}
