namespace Slipway.Proxy.Forwarding;

/// <summary>What the access log says about a request, asked for only when a line is written.</summary>
internal interface IRequestLine
{
    string Method { get; }

    string? Host { get; }

    string PathAndQuery { get; }

    string ClientAddressText { get; }

    string RequestId { get; }
}
