namespace Slipway.Core.Cgroups;

/// <summary>A cgroup could not be created, limited or joined; the message names the file and the reason.</summary>
internal sealed class CgroupException : Exception
{
    public CgroupException(string message)
        : base(message)
    {
    }

    public CgroupException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
