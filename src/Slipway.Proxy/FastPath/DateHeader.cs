using System.Globalization;
using System.Text;

namespace Slipway.Proxy.FastPath;

/// <summary>The <c>Date</c> line Kestrel would add, encoded once a second on the injected clock.</summary>
internal sealed class DateHeader
{
    private readonly TimeProvider _time;
    private Entry _current = new(long.MinValue, []);

    public DateHeader(TimeProvider time) => _time = time;

    /// <summary><c>Date: …\r\n</c> for now.</summary>
    public ReadOnlySpan<byte> Line()
    {
        var now = _time.GetUtcNow();
        var second = now.ToUnixTimeSeconds();
        var current = Volatile.Read(ref _current);
        if (current.Second != second)
        {
            current = new Entry(second, Encoding.ASCII.GetBytes("Date: " + now.ToString("r", CultureInfo.InvariantCulture) + "\r\n"));
            Volatile.Write(ref _current, current);
        }

        return current.Bytes;
    }

    private sealed record Entry(long Second, byte[] Bytes);
}
