using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Slipway.Proxy.Transport;

/// <summary>
/// One epoll instance and the thread that waits on it. Sockets are registered once, edge-triggered for input, hang-up
/// and output (<see cref="Add"/>); an event's data is the receiver's slot in <see cref="_slots"/> and the registration's
/// generation, so an event that was already queued when its socket was closed and the slot reused is dropped, never
/// given to another.
/// </summary>
internal sealed unsafe class ReadinessThread
{
    private const int MaxEvents = 256;

    private readonly int _epoll;
    private readonly Lock _lock = new();
    private readonly Stack<int> _free = new();
    private ReadinessReceiver?[] _slots = new ReadinessReceiver?[64];
    private int _used;
    private uint _generation;

    /// <summary>The engine's thread this code runs on, null on any other thread.</summary>
    [ThreadStatic]
    private static ReadinessThread? _current;

    public ReadinessThread(string name, int index)
    {
        Index = index;
        _epoll = LinuxEpoll.Create(LinuxEpoll.CloseOnExec);
        if (_epoll < 0)
        {
            throw new SocketException((int)LinuxEpoll.ToSocketError(Marshal.GetLastPInvokeError()));
        }

        new Thread(Run) { IsBackground = true, Name = name }.UnsafeStart();
    }

    /// <summary>This thread's place among its engine's threads.</summary>
    public int Index { get; }

    /// <summary>The engine's thread the caller runs on (a continuation of one of its receives), or null.</summary>
    public static ReadinessThread? Current => _current;

    /// <summary>Events this thread took from epoll (tests).</summary>
    internal long Events { get; private set; }

    /// <summary>Registers <paramref name="socket"/> (connected, not yet read by anyone).</summary>
    public ReadinessReceiver Register(Socket socket)
    {
        var receiver = Prepare(socket);
        Add(receiver);
        return receiver;
    }

    /// <summary>A receiver for a socket about to connect (<see cref="ReadinessReceiver.ConnectAsync"/>), which adds it once its connect started.</summary>
    public ReadinessReceiver Prepare(Socket socket) => new(this, socket);

    /// <summary>
    /// Adds the receiver's socket to epoll: input, the end and room for output, edge-triggered, in one registration
    /// for the socket's life (nginx registers its connections so): the output edge comes only after a send found the
    /// socket's buffer full, so it costs nothing until a send waits.
    /// </summary>
    internal void Add(ReadinessReceiver receiver)
    {
        lock (_lock)
        {
            var slot = _free.Count > 0 ? _free.Pop() : _used++;
            if (slot == _slots.Length)
            {
                var larger = new ReadinessReceiver?[_slots.Length * 2];
                _slots.CopyTo(larger, 0);
                Volatile.Write(ref _slots, larger);
            }

            receiver.Bind(slot, ++_generation);
            Volatile.Write(ref _slots[slot], receiver);
        }

        var @event = stackalloc byte[16];
        Unsafe.WriteUnaligned(@event, LinuxEpoll.Readable | LinuxEpoll.ReadHangUp | LinuxEpoll.Writable | LinuxEpoll.EdgeTriggered);
        Unsafe.WriteUnaligned(@event + LinuxEpoll.DataOffset, DataOf(receiver));
        if (LinuxEpoll.Control(_epoll, LinuxEpoll.Add, receiver.Descriptor, @event) != 0)
        {
            var error = LinuxEpoll.ToSocketError(Marshal.GetLastPInvokeError());
            Release(receiver);
            throw new SocketException((int)error);
        }
    }

    /// <summary>Takes the socket out of epoll (while its descriptor is still open) and frees its slot.</summary>
    public void Unregister(ReadinessReceiver receiver, SafeSocketHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var @event = stackalloc byte[16];
            _ = LinuxEpoll.Control(_epoll, LinuxEpoll.Delete, receiver.Descriptor, @event);
        }
        catch (ObjectDisposedException)
        {
            // Closed already: the kernel dropped it from the epoll set with its last reference.
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        Release(receiver);
    }

    private void Release(ReadinessReceiver receiver)
    {
        lock (_lock)
        {
            if (_slots[receiver.Slot] == receiver)
            {
                _slots[receiver.Slot] = null;
                _free.Push(receiver.Slot);
            }
        }
    }

    private void Run()
    {
        _current = this;
        var size = LinuxEpoll.EventSize;
        var events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * size));
        while (true)
        {
            var count = LinuxEpoll.Wait(_epoll, events, MaxEvents, -1);
            if (count < 0)
            {
                if (Marshal.GetLastPInvokeError() == LinuxEpoll.Interrupted)
                {
                    continue;
                }

                throw new SocketException((int)LinuxEpoll.ToSocketError(Marshal.GetLastPInvokeError()));
            }

            Events += count;
            for (var i = 0; i < count; i++)
            {
                var @event = events + (i * size);
                Dispatch(Unsafe.ReadUnaligned<ulong>(@event + LinuxEpoll.DataOffset), Unsafe.ReadUnaligned<uint>(@event));
            }
        }
    }

    /// <summary>One event (<paramref name="flags"/>) to the receiver registered with its data (slot and generation), if that registration still holds.</summary>
    internal void Dispatch(ulong data, uint flags = LinuxEpoll.Readable)
    {
        var slot = (int)(uint)data;
        var slots = Volatile.Read(ref _slots);
        var receiver = slot < slots.Length ? Volatile.Read(ref slots[slot]) : null;
        if (receiver is not null && receiver.Generation == (uint)(data >> 32))
        {
            receiver.OnEvent(flags);
        }
    }

    /// <summary>The data epoll reports <paramref name="receiver"/>'s events with.</summary>
    internal static ulong DataOf(ReadinessReceiver receiver) => ((ulong)receiver.Generation << 32) | (uint)receiver.Slot;
}
