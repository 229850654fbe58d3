using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Routing;

namespace Slipway.Proxy.Edge;

/// <summary>
/// A service in maintenance: requests are held while it lasts (up to the hold), then answered 503 with the page.
/// Its health-check paths and ACME HTTP-01 challenges still pass, so monitors see the truth and a certificate
/// can be renewed during the window.
/// </summary>
internal sealed class MaintenanceStep : IEdgeStep
{
    /// <summary>When to ask again, for clients and crawlers that honour it.</summary>
    public const int RetryAfterSeconds = 30;

    public const string AcmeChallengePrefix = "/.well-known/acme-challenge/";

    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _passPaths;

    public MaintenanceStep(MaintenanceModel model, MaintenanceGate gate)
    {
        Gate = gate;
        HoldFor = model.Hold;
        _passPaths = model.PassPaths.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        Answer = new EdgeAnswer(StatusCodes.Status503ServiceUnavailable, EdgeRefusal.Maintenance, model.Page, model.PageType);
    }

    public MaintenanceGate Gate { get; }

    /// <summary>How long a request waits for the maintenance to end before it gets the page.</summary>
    public TimeSpan HoldFor { get; }

    public EdgeAnswer Answer { get; }

    public EdgeVerdict Check(scoped in EdgeRequest request)
    {
        if (_passPaths.Contains(request.Path) || request.Path.StartsWith(AcmeChallengePrefix, StringComparison.Ordinal))
        {
            return default;
        }

        return HoldFor > TimeSpan.Zero ? EdgeVerdict.HoldFor(this) : EdgeVerdict.Refuse(Answer, RetryAfterSeconds);
    }
}
