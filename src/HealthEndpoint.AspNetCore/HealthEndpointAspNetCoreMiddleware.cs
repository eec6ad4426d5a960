using System;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin;
using Microsoft.AspNetCore.Http;

namespace HealthEndpoint.AspNetCore;

/// <summary>
/// The ASP.NET Core face of <see cref="HealthEndpointMiddleware"/>: a health path is answered by the core, through a
/// small OWIN environment over the <see cref="HttpContext"/> (<see cref="HttpContextEnvironment"/>); every other request goes to <c>next</c> at once,
/// nothing read or allocated. Routing, rendering and the check runner are the core's.
/// </summary>
internal sealed class HealthEndpointAspNetCoreMiddleware
{
    private readonly RequestDelegate _next;
    private readonly HealthEndpointMiddleware _endpoint;
    private readonly object _appStopping;

    public HealthEndpointAspNetCoreMiddleware(RequestDelegate next, HealthEndpointMiddleware endpoint, CancellationToken appStopping)
    {
        _next = next ?? throw new ArgumentNullException(nameof(next));
        _endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
        _appStopping = appStopping;
    }

    public Task InvokeAsync(HttpContext context)
    {
        // Only the path decides, as in the OWIN middleware: PathBase (UsePathBase, a virtual directory) is not matched.
        // No owin.CallCancelled: Kestrel makes RequestAborted's source on first read, and every answer here is small
        // and complete (the core's writers say the same of the OWIN hosts).
        var path = context.Request.Path.Value;
        return path is not null && _endpoint.Handles(path)
            ? _endpoint.Invoke(new HttpContextEnvironment(context, path, _appStopping))
            : _next(context);
    }
}
