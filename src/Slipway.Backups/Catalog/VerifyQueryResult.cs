namespace Slipway.Backups.Catalog;

internal sealed record VerifyQueryResult(string Sql, string Value);
