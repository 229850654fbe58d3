using Slipway.Control.State;

namespace Slipway.Control.Supervision;

/// <summary>
/// The slot's row in the state store, which lets a later daemon adopt the process. Writing it never decides whether
/// the instance runs: a row that cannot be written (a full disk; the disk says so, once) is kept in memory and
/// written at the next resource sample, so the process is neither lost nor started twice.
/// </summary>
internal sealed partial class InstanceController
{
    private InstanceRecord? _unsaved;

    private void Remember(InstanceRecord record)
    {
        lock (_lock)
        {
            _unsaved = record;
        }

        SaveRemembered();
    }

    private void SaveRemembered()
    {
        InstanceRecord? record;
        lock (_lock)
        {
            record = _unsaved;
        }

        if (record is null || _context.Store is not { } store)
        {
            return;
        }

        try
        {
            store.SaveInstance(record);
            lock (_lock)
            {
                if (ReferenceEquals(_unsaved, record))
                {
                    _unsaved = null;
                }
            }
        }
        catch (DiskFullException)
        {
            // Kept for the next try; the process runs and is supervised meanwhile.
        }
    }

    /// <summary>The process no longer runs: its row stops being adopted. If that cannot be written, the next daemon finds the pid gone.</summary>
    private void ForgetRecord()
    {
        lock (_lock)
        {
            _unsaved = null;
        }

        try
        {
            _context.Store?.DeactivateInstance(Id);
        }
        catch (DiskFullException)
        {
            // The disk has said it is full; a stale active row is harmless (its pid is checked with its start time).
        }
    }
}
