using System.Net.Sockets;

namespace Slipway.Server.Listeners;

/// <summary>The daemon that handed its listeners to this one (<c>--takeover</c>): its pid, and the connection to tell it "serving" on.</summary>
internal sealed record Predecessor(Socket Connection, int Pid, Dictionary<string, BoundListener> Listeners);
