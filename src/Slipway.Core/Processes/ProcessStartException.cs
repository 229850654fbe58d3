namespace Slipway.Core.Processes;

/// <summary>A child could not be started; the message names the cause in words a user can act on.</summary>
internal sealed class ProcessStartException : Exception
{
    public ProcessStartException()
    {
    }

    public ProcessStartException(string message)
        : base(message)
    {
    }

    public ProcessStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
