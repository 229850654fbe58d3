using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Model;
using Slipway.Server.Listeners;
using Slipway.Testing;

namespace Slipway.Server.Tests.Listeners;

public sealed class DaemonListenersTests
{
    [Fact]
    public void Bind_PortAnotherDaemonListensOn_RefusedNamingIt()
    {
        using var dir = new TempDirectory();
        using var first = DaemonListeners.Bind(Manifest(dir, "http://127.0.0.1:0"), new HostPort("127.0.0.1", 0), edge: true, out var error);
        Assert.True(first is not null, error);
        var port = first["http://127.0.0.1:0"].EndPoint.Port;

        // A second daemon (another state directory) asking for the same edge port must not share it.
        using var second = DaemonListeners.Bind(Manifest(dir, $"http://127.0.0.1:{port}"), new HostPort("127.0.0.1", 0), edge: true, out error);

        Assert.Null(second);
        Assert.Equal($"proxy.listen http://127.0.0.1:{port}: 127.0.0.1:{port} is already in use by another process (choose another port, or stop what listens there)", error);
    }

    [Fact]
    public void Bind_InheritedPortZeroListenerAndTheManifestNowNamesItsPort_TheInheritedSocketIsUsed()
    {
        using var dir = new TempDirectory();
        using var before = DaemonListeners.Bind(Manifest(dir, "http://127.0.0.1:0"), new HostPort("127.0.0.1", 0), edge: true, out var error);
        Assert.True(before is not null, error);
        var handed = before.All.ToDictionary(l => l.Key, StringComparer.Ordinal);
        var edge = handed["http://127.0.0.1:0"];

        using var after = DaemonListeners.Bind(Manifest(dir, $"http://127.0.0.1:{edge.EndPoint.Port}"), new HostPort("127.0.0.1", 0), edge: true, out error, handed);

        Assert.True(after is not null, error);
        Assert.Same(edge.Socket, after[$"http://127.0.0.1:{edge.EndPoint.Port}"].Socket);
    }

    private static AppManifest Manifest(TempDirectory dir, string listen)
    {
        var path = dir.Combine($"slipway-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $$"""
            app: t
            proxy: { listen: ["{{listen}}"] }
            services:
              legacy:
                upstream: ["127.0.0.1:9"]
            """);
        var loaded = ManifestLoader.LoadFile(path);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.FormattedErrors));
        return loaded.Manifest!;
    }
}
