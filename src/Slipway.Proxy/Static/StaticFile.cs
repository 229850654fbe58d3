using Microsoft.Win32.SafeHandles;

namespace Slipway.Proxy.Static;

/// <summary>An open file of a static site, with what its validators are made of.</summary>
internal sealed record StaticFile(SafeFileHandle Handle, string Name, string RealPath, long Length, DateTime LastWriteUtc) : IDisposable
{
    public void Dispose() => Handle.Dispose();
}
