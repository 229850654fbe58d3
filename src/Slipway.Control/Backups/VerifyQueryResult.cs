namespace Slipway.Control.Backups;

internal sealed record VerifyQueryResult(string Sql, string Value);
