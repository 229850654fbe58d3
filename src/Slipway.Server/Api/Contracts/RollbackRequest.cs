using System.Text.Json.Serialization;

namespace Slipway.Server.Api.Contracts;

/// <summary><c>POST /api/v1/services/NAME/rollback</c>; the body is optional.</summary>
/// <param name="To">The revision to return to (a string or a number); the one before the current when absent.</param>
internal sealed record RollbackRequest([property: JsonConverter(typeof(RevisionNumberConverter))] string? To = null);
