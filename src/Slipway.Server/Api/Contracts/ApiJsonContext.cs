using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Slipway.Control.Alerts;
using Slipway.Control.Analysis;
using Slipway.Control.Apply;
using Slipway.Control.Audit;
using Slipway.Backups.Catalog;
using Slipway.Control.Logs;
using Slipway.Control.Runtime;
using Slipway.Control.State;
using Slipway.Control.Supervision;
using Slipway.Core.Manifest.Model;
using Slipway.Server.Auth;
using Slipway.Server.Cost;
using Slipway.Server.Preflight;

namespace Slipway.Server.Api.Contracts;

/// <summary>
/// Every type the control API reads or writes, serialised by generated code that the daemon and the CLI share:
/// camelCase, enums as kebab-case words, numbers only as numbers, property names as written. JSON trees
/// (<see cref="JsonObject"/>, <see cref="JsonElement"/>) are for the few CLI outputs that are no answer of the API.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNameCaseInsensitive = false,
    NumberHandling = JsonNumberHandling.Strict,
    Converters = [
        typeof(KebabCaseEnumConverter<ServiceKind>),
        typeof(KebabCaseEnumConverter<ServiceHealth>),
        typeof(KebabCaseEnumConverter<InstancePhase>),
        typeof(KebabCaseEnumConverter<RolloutStrategy>),
        typeof(KebabCaseEnumConverter<RolloutPhase>),
        typeof(KebabCaseEnumConverter<RevisionOutcome>),
        typeof(KebabCaseEnumConverter<AnalysisVerdict>),
        typeof(KebabCaseEnumConverter<ApplyActionKind>),
        typeof(KebabCaseEnumConverter<ApplyRole>),
        typeof(KebabCaseEnumConverter<LineLevel>),
        typeof(KebabCaseEnumConverter<AlertState>),
        typeof(KebabCaseEnumConverter<ApiRole>),
        typeof(KebabCaseEnumConverter<JobConcurrency>),
        typeof(KebabCaseEnumConverter<JobTrigger>),
        typeof(KebabCaseEnumConverter<JobOutcome>),
        typeof(KebabCaseEnumConverter<BackupStatus>),
        typeof(KebabCaseEnumConverter<PreflightStatus>),
        typeof(KebabCaseEnumConverter<CertificateSource>)])]
[JsonSerializable(typeof(IReadOnlyList<ServiceResponse>))]
[JsonSerializable(typeof(ServiceDetailResponse))]
[JsonSerializable(typeof(IReadOnlyList<InstanceStatus>))]
[JsonSerializable(typeof(ScaleRequest))]
[JsonSerializable(typeof(ScaleResponse))]
[JsonSerializable(typeof(RestartResponse))]
[JsonSerializable(typeof(DeployRequest))]
[JsonSerializable(typeof(RollbackRequest))]
[JsonSerializable(typeof(RolloutResponse))]
[JsonSerializable(typeof(IReadOnlyList<RevisionResponse>))]
[JsonSerializable(typeof(ApplyRequest))]
[JsonSerializable(typeof(ApplyPlanResponse))]
[JsonSerializable(typeof(IReadOnlyList<EventRecord>))]
[JsonSerializable(typeof(IReadOnlyList<LogLineResponse>))]
[JsonSerializable(typeof(IReadOnlyList<SecretResponse>))]
[JsonSerializable(typeof(SecretSetRequest))]
[JsonSerializable(typeof(SecretSetResponse))]
[JsonSerializable(typeof(IReadOnlyList<TokenResponse>))]
[JsonSerializable(typeof(TokenCreateRequest))]
[JsonSerializable(typeof(TokenCreatedResponse))]
[JsonSerializable(typeof(IReadOnlyList<AuditEntry>))]
[JsonSerializable(typeof(AuditVerification))]
[JsonSerializable(typeof(StreamEnd))]
[JsonSerializable(typeof(IReadOnlyList<AlertResponse>))]
[JsonSerializable(typeof(IReadOnlyList<SilenceResponse>))]
[JsonSerializable(typeof(SilenceRequest))]
[JsonSerializable(typeof(SilenceResponse))]
[JsonSerializable(typeof(IReadOnlyList<JobResponse>))]
[JsonSerializable(typeof(IReadOnlyList<CertificateResponse>))]
[JsonSerializable(typeof(IReadOnlyList<JobRunResponse>))]
[JsonSerializable(typeof(JobRunResponse))]
[JsonSerializable(typeof(ServiceMetricsResponse))]
[JsonSerializable(typeof(IReadOnlyList<BackupSetResponse>))]
[JsonSerializable(typeof(BackupResponse))]
[JsonSerializable(typeof(SessionRequest))]
[JsonSerializable(typeof(SessionResponse))]
[JsonSerializable(typeof(MaintenanceRequest))]
[JsonSerializable(typeof(MaintenanceResponse))]
[JsonSerializable(typeof(MaintenanceStateResponse))]
[JsonSerializable(typeof(MaintenanceOffResponse))]
[JsonSerializable(typeof(PreflightReport))]
[JsonSerializable(typeof(CostMeasurements))]
[JsonSerializable(typeof(CostReport))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
