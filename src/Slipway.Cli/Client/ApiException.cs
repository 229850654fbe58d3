namespace Slipway.Cli.Client;

/// <summary>The daemon could not be reached, or answered with a problem; the message is what the user sees.</summary>
internal sealed class ApiException : Exception
{
    public ApiException()
    {
    }

    public ApiException(string message)
        : base(message)
    {
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
