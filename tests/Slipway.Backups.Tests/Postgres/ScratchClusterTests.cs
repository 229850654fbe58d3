using System.Net;
using System.Net.Sockets;
using Slipway.Backups.Postgres;

namespace Slipway.Backups.Tests.Postgres;

/// <summary>
/// The scratch cluster that `backup verify` and `drill` restore production copies into: reachable by us alone,
/// through a socket in a directory only its owner may enter, never over TCP.
/// </summary>
public sealed class ScratchClusterTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task Start_ForARestore_ListensOnNoTcpPortOnlyOnASocketInAnOwnerOnlyDirectory()
    {
        await using var cluster = await ScratchCluster.StartAsync(PostgresBinaries.Locate());

        Assert.Equal("1", await cluster.SqlAsync("select 1"));
        Assert.StartsWith("/", cluster.Source.Host, StringComparison.Ordinal);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(cluster.Root));
        using var tcp = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => tcp.ConnectAsync(IPAddress.Loopback, cluster.Source.Port));
    }
}
