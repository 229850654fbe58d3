using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Slipway.Control.Audit;
using Slipway.Control.State;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>
/// Records every call that could change something (any method but GET/HEAD), allowed or not, with the status
/// it got: the result entry, after the intent the endpoint wrote before acting (<see cref="AuditIntent"/>). Wraps authentication so refused attempts are recorded too; rate-limited ones (429) are not, so a
/// flood of guesses cannot fill the disk. Also turns an unhandled exception into a 500 problem.
/// </summary>
internal sealed class AuditMiddleware
{
    private readonly RequestDelegate _next;
    private readonly AuditLog _audit;
    private readonly ILogger _logger;

    public AuditMiddleware(RequestDelegate next, AuditLog audit, ILogger logger)
    {
        _next = next;
        _audit = audit;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            // The client's mistake (a body cut short, bad chunking): its status and reason, not a 500 and a stack trace.
            await Problems.WriteAsync(context, e.StatusCode, $"the request could not be read: {e.Message}").ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && StateDisk.IsNoSpace(e))
        {
            // Said once by the disk itself; the change was not saved, and what is saved first is never applied without it.
            // Its result entry (written if there is room by then) names the refusal after the intent.
            AuditArguments.Add(context, "refused", e.Message);
            await Problems.WriteAsync(context, StatusCodes.Status507InsufficientStorage, $"{e.Message}; the change was not saved").ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            ApiLog.Unhandled(_logger, context.Request.Method, context.Request.Path, e);
            await Problems.WriteAsync(context, StatusCodes.Status500InternalServerError, $"the server failed: {e.GetType().Name}").ConfigureAwait(false);
        }

        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || context.Response.StatusCode == StatusCodes.Status429TooManyRequests)
        {
            return;
        }

        var route = AuditIntent.Route(context);
        var arguments = AuditArguments.Of(context);
        if (AuditIntent.Of(context) is { } intent)
        {
            arguments["intent"] = intent.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        try
        {
            _audit.Append(new AuditRecord(
                ApiPrincipal.Get(context)?.Name ?? "-",
                method,
                route,
                arguments,
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                context.Response.StatusCode,
                AuditPhase.Result));
        }
        catch (IOException e) when (StateDisk.IsNoSpace(e))
        {
            // The disk has said it is full; the audit log cut the partial line, so its chain stays whole.
        }
        catch (IOException e)
        {
            ApiLog.AuditFailed(_logger, method, route, e);
        }
    }
}
