using System.IO.Pipelines;

namespace Slipway.Proxy.Transport;

internal sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
