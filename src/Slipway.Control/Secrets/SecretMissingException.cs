namespace Slipway.Control.Secrets;

/// <summary>A service names a secret in <c>run.secrets</c> that has not been set.</summary>
internal sealed class SecretMissingException : Exception
{
    public SecretMissingException(string service, string secret)
        : base($"service {service} needs secret {secret}, which is not set; set it with `slipway secrets set {secret}`")
    {
        Service = service;
        Secret = secret;
    }

    public SecretMissingException()
    {
        Service = "";
        Secret = "";
    }

    public SecretMissingException(string message)
        : base(message)
    {
        Service = "";
        Secret = "";
    }

    public SecretMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Service = "";
        Secret = "";
    }

    public string Service { get; }

    public string Secret { get; }
}
