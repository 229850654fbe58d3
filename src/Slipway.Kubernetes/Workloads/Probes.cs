using System.Text.Json.Nodes;
using Slipway.Core.Manifest.Model;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes.Workloads;

/// <summary>
/// The manifest's probes as the kubelet's, one to one: the same semantics (startup gates the others, readiness routes,
/// liveness restarts), kinds and thresholds. Kubernetes counts in whole seconds and lets only readiness need more
/// than one success in a row; what it cannot hold is rounded or set, with a note.
/// </summary>
internal static class Probes
{
    public static JsonObject? Build(RenderContext context, string path, ProbeSpec? probe, bool readiness)
    {
        if (probe is null)
        {
            return null;
        }

        foreach (var (key, value) in new[] { ("initialDelay", probe.InitialDelay), ("period", probe.Period), ("timeout", probe.Timeout) })
        {
            if (value.Ticks % TimeSpan.TicksPerSecond != 0)
            {
                context.Note($"{path}.{key}", $"is {Names.GoDuration(value)}; Kubernetes counts probe times in whole seconds, so it is {Names.Seconds(value)}s");
            }
        }

        var successThreshold = probe.SuccessThreshold;
        if (!readiness && successThreshold != 1)
        {
            context.Note($"{path}.successThreshold", "must be 1 for startup and liveness probes in Kubernetes; rendered as 1");
            successThreshold = 1;
        }

        JsonObject handler = probe switch
        {
            { Http: { } http } => Json.Obj(("httpGet", Json.Obj(("path", http), ("port", Names.HttpPort)))),
            { Exec: { } exec } => Json.Obj(("exec", Json.Obj(("command", Json.Arr(exec.Select(a => (JsonNode)a)))))),
            _ => Json.Obj(("tcpSocket", Json.Obj(("port", Names.HttpPort)))),
        };

        return Json.Obj(
        [
            .. handler.Select(p => (p.Key, (JsonNode?)p.Value!.DeepClone())),
            ("initialDelaySeconds", probe.InitialDelay > TimeSpan.Zero ? Names.Seconds(probe.InitialDelay) : null),
            ("periodSeconds", Math.Max(1, Names.Seconds(probe.Period))),
            ("timeoutSeconds", Math.Max(1, Names.Seconds(probe.Timeout))),
            ("successThreshold", successThreshold),
            ("failureThreshold", probe.FailureThreshold),
        ]);
    }
}
