namespace Slipway.Control.State;

internal sealed record RevisionRecord(string Service, string Revision, string Version, DateTimeOffset Created, bool Current);
