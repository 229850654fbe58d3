using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Slipway.Testing;

/// <summary>
/// A real s3rver (npm, installed by test.sh into tests/Slipway.Backups.Tests/S3rver) on 127.0.0.1 with a temporary
/// data directory and one bucket. It knows one access key, S3RVER, and refuses others with S3's own InvalidAccessKeyId;
/// it does not check SigV4 signatures (unimplemented in s3rver 3.7.1), so a wrong secret key cannot be shown here.
/// Missing node or s3rver fails the test with what to install; it never skips.
/// </summary>
public sealed partial class S3Server : IAsyncDisposable
{
    public const string Bucket = "offsite";
    public const string AccessKeyId = "S3RVER";
    public const string SecretAccessKey = "S3RVER";

    private readonly TempDirectory _data = new();
    private readonly List<string> _requests = [];
    private Process? _process;

    public int Port { get; private set; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Every object key in the bucket as the server stores it, whatever the S3 API would list.</summary>
    public IReadOnlyList<string> StoredKeys() =>
        Directory.Exists(Path.Combine(_data.Path, Bucket))
            ? [.. Directory.EnumerateFiles(Path.Combine(_data.Path, Bucket), "*._S3rver_object", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Path.Combine(_data.Path, Bucket), f)[..^"._S3rver_object".Length]).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>
    /// The requests s3rver has answered, as it logs them (<c>PUT /offsite/KEY?partNumber=1&amp;uploadId=… 200 …</c>), oldest
    /// first: what a client sent that leaves nothing in the store to look at. s3rver 3.7.1 does not implement
    /// AbortMultipartUpload (it answers 405 and keeps the parts), so an abort shows only here.
    /// </summary>
    public IReadOnlyList<string> Requests()
    {
        lock (_requests)
        {
            return [.. _requests];
        }
    }

    /// <summary>The file s3rver keeps an object's bytes in, to damage it behind the API's back.</summary>
    public string ObjectPath(string key) => Path.Combine(_data.Path, Bucket, key + "._S3rver_object");

    public static async Task<S3Server> StartAsync()
    {
        var server = new S3Server();
        await server.RestartAsync(port: 0);
        return server;
    }

    /// <summary>Starts s3rver on <paramref name="port"/> (0: any) over the same data directory.</summary>
    public async Task RestartAsync(int? port = null)
    {
        var node = ExternalTool.Require("node", "nodejs");
        var script = RepositoryRoot.File("tests", "Slipway.Backups.Tests", "S3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"{script} is missing: (cd tests/Slipway.Backups.Tests/S3rver && npm ci) (./test.sh does it)");
        }

        var info = new ProcessStartInfo(node) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { script, "-d", _data.Path, "-a", "127.0.0.1", "-p", (port ?? Port).ToString(System.Globalization.CultureInfo.InvariantCulture), "--configure-bucket", Bucket })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info)!;
        var stderr = _process.StandardError.ReadToEndAsync();
        var listening = Task.Run(async () =>
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (ListeningLine().Match(line) is { Success: true } match)
                {
                    return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            throw new InvalidOperationException($"s3rver exited before listening: {await stderr}");
        });
        Port = await listening.WaitAsync(TimeSpan.FromSeconds(30));
        _ = RecordRequestsAsync(_process.StandardOutput);
    }

    /// <summary>SIGKILL: the server dies mid-request, as a crashed or unplugged store would.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        _data.Dispose();
    }

    private async Task RecordRequestsAsync(StreamReader log)
    {
        while (await log.ReadLineAsync() is { } line)
        {
            var request = AnsiEscape().Replace(line, "");
            lock (_requests)
            {
                _requests.Add(request);
            }
        }
    }

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"listening on [0-9.]+:(\d+)")]
    private static partial Regex ListeningLine();
}
