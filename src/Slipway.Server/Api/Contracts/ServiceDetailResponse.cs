using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Slipway.Control.Runtime;
using Slipway.Control.Supervision;

namespace Slipway.Server.Api.Contracts;

/// <summary><c>GET /api/v1/services/NAME</c>: the summary, then its revisions, instances and the secrets it lacks.</summary>
internal sealed record ServiceDetailResponse : ServiceResponse
{
    public ServiceDetailResponse()
    {
    }

    [SetsRequiredMembers]
    public ServiceDetailResponse(ServiceResponse summary, IReadOnlyList<RevisionState> revisions, IReadOnlyList<InstanceStatus> instances, IReadOnlyList<string> missingSecrets)
        : base(summary)
    {
        Revisions = revisions;
        Instances = instances;
        MissingSecrets = missingSecrets;
    }

    // Order 1: after the summary's fields on the wire, as they always were.
    [JsonPropertyOrder(1)]
    public required IReadOnlyList<RevisionState> Revisions { get; init; }

    [JsonPropertyOrder(1)]
    public required IReadOnlyList<InstanceStatus> Instances { get; init; }

    [JsonPropertyOrder(1)]
    public required IReadOnlyList<string> MissingSecrets { get; init; }
}
