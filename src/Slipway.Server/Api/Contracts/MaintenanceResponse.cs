using System.Text;
using Slipway.Control.Maintenance;
using Slipway.Core.Primitives;

namespace Slipway.Server.Api.Contracts;

/// <summary>One maintenance: its scope (null: the whole app), hold, page type and size, since when and by whom.</summary>
internal sealed record MaintenanceResponse(string? Service, string Hold, string PageType, int PageBytes, DateTimeOffset Since, string By)
{
    public static MaintenanceResponse Of(MaintenanceWindow window) =>
        new(window.Service, DurationText.Format(window.Hold), window.PageType, Encoding.UTF8.GetByteCount(window.Page), window.Since, window.By);
}
