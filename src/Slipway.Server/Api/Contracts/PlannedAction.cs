using Slipway.Control.Apply;

namespace Slipway.Server.Api.Contracts;

/// <summary>One step of an apply plan: on a service or an app-wide section, why, the least role it needs, and the values that differ.</summary>
internal sealed record PlannedAction(string Target, ApplyActionKind Kind, string Detail, ApplyRole Role, IReadOnlyList<PlannedChange> Fields)
{
    public static PlannedAction Of(ApplyAction action) =>
        new(action.Target, action.Kind, action.Detail, ApplyPrivileges.Of(action), [.. action.Fields.Select(f => PlannedChange.Of(action, f))]);
}
