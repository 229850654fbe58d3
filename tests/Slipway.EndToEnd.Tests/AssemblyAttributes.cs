// The tests check Unix file modes and /proc; Slipway runs on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
