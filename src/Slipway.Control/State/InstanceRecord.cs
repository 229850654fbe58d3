namespace Slipway.Control.State;

/// <summary>An instance as stored: enough to find it again (pid + start time) after a daemon restart.</summary>
internal sealed record InstanceRecord(
    string Id,
    string Service,
    string Revision,
    int Slot,
    int Pid,
    long ProcessStartTime,
    int Port,
    string StdoutPath,
    string StderrPath,
    bool Active);
