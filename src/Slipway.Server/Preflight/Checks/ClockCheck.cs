using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Slipway.Server.Preflight.Checks;

/// <summary>
/// This machine's clock against an NTP server's: certificates, tokens, schedules and alert windows all assume it is
/// right. Without an answer the check is skipped, saying why: an offline machine is not a failed one.
/// </summary>
internal sealed class ClockCheck : IPreflightCheck
{
    internal static readonly TimeSpan WarnAt = TimeSpan.FromMilliseconds(500);
    internal static readonly TimeSpan FailAt = TimeSpan.FromSeconds(5);
    private const int NtpPort = 123;

    public string Name => "clock";

    public bool ConcernsDeploy => false;

    public async Task<IReadOnlyList<PreflightFinding>> RunAsync(PreflightContext context, CancellationToken cancel)
    {
        if (context.NtpServer is not { } server)
        {
            return [Skipped("no NTP server to ask")];
        }

        using var bounded = context.Bounded();
        TimeSpan offset;
        try
        {
            offset = await SntpQuery.OffsetAsync(await EndPointAsync(server, bounded.Token).ConfigureAwait(false), context.Time, bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return [Skipped($"{server} did not answer within {context.Timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s")];
        }
        catch (Exception e) when (e is SocketException or InvalidDataException or ArgumentException)
        {
            return [Skipped($"{server} cannot be asked: {e.Message}")];
        }

        var magnitude = offset.Duration();
        var evidence = $"{(offset < TimeSpan.Zero ? "ahead of" : "behind")} {server} by {magnitude.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)}ms";
        const string fix = "run an NTP client (chrony or systemd-timesyncd) on this machine";
        return [magnitude >= FailAt ? new(Name, "clock", PreflightStatus.Fail, evidence, fix)
            : magnitude >= WarnAt ? new(Name, "clock", PreflightStatus.Warn, evidence, fix)
            : PreflightFinding.Ok(Name, "clock", evidence)];
    }

    private PreflightFinding Skipped(string reason) => new(Name, "clock", PreflightStatus.Skipped, $"skipped: {reason}", null);

    private static async Task<EndPoint> EndPointAsync(string server, CancellationToken cancel)
    {
        var (host, port) = server.LastIndexOf(':') is var colon and > 0 && !server.EndsWith(']') && server.Count(c => c == ':') == 1
            ? (server[..colon], int.Parse(server[(colon + 1)..], CultureInfo.InvariantCulture))
            : (server.Trim('[', ']'), NtpPort);
        if (IPAddress.TryParse(host, out var address))
        {
            return new IPEndPoint(address, port);
        }

        var addresses = await Dns.GetHostAddressesAsync(host, cancel).ConfigureAwait(false);
        return new IPEndPoint(addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0], port);
    }
}
