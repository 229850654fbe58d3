using Microsoft.AspNetCore.Http;
using Slipway.Control.State;

namespace Slipway.Server.Api;

/// <summary>
/// A change (any call but GET/HEAD) is made only while the state directory's disk has room for what it writes —
/// its state, its audit entry, its events — so a change is saved, applied and audited together, or refused with 507
/// and not made. A write that fails for lack of space anyway is a 507 too (<see cref="AuditMiddleware"/>).
/// </summary>
internal sealed class DiskRoomMiddleware
{
    private readonly RequestDelegate _next;
    private readonly StateDisk _disk;

    public DiskRoomMiddleware(RequestDelegate next, StateDisk disk)
    {
        _next = next;
        _disk = disk;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !_disk.HasRoom(out var problem))
        {
            // Refused before any intent was written: the result entry is the only one, and says why.
            AuditArguments.Add(context, "refused", problem!);
            await Problems.WriteAsync(context, StatusCodes.Status507InsufficientStorage, $"{problem}; nothing was changed").ConfigureAwait(false);
            return;
        }

        await _next(context).ConfigureAwait(false);
    }
}
