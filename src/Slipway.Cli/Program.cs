using Slipway.Core.Processes;

namespace Slipway.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        // Socket completions run inline on the epoll thread instead of being queued to the thread
        // pool: one thread hop less per read for a proxy. bench/proxy.sh on 2 cores measured p99 at
        // 64 connections 1.2x HAProxy's with it against 3.3x without, and requests/s 0.74x against 0.63x.
        // The runtime reads the variable once, when the first socket is set up, so it is set first.
        // Only for the daemon (`up`), which runs the proxy: the other verbs gain nothing, and a blocking call
        // reached from an inline completion (`backup verify` reading S3 after psql) stalled the very thread its
        // answer needed, for good.
        if (args is ["up", ..])
        {
            DaemonOnlyEnvironment.SetDefault("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        }

        return SlipwayCommand.Run(args);
    }
}
