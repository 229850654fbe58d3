namespace Slipway.Control.State;

/// <summary>A state write failed for lack of space: what was asked for was not saved, and so not applied.</summary>
internal sealed class DiskFullException : IOException
{
    public DiskFullException()
    {
    }

    public DiskFullException(string message)
        : base(message)
    {
    }

    public DiskFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
