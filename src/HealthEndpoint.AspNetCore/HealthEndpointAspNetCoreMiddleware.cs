using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin;
using Microsoft.AspNetCore.Http;

namespace HealthEndpoint.AspNetCore;

/// <summary>
/// The ASP.NET Core face of <see cref="HealthEndpointMiddleware"/>: a health path is answered by the core, through a
/// small OWIN environment over the <see cref="HttpContext"/>; every other request goes to <c>next</c> at once,
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
        var path = context.Request.Path.Value;
        return path is not null && _endpoint.Handles(path) ? AnswerAsync(context, path) : _next(context);
    }

    private async Task AnswerAsync(HttpContext context, string path)
    {
        // No owin.CallCancelled: Kestrel makes RequestAborted's source on first read, and every answer here is small
        // and complete (the core's writers say the same of the OWIN hosts).
        var request = context.Request;
        var responseHeaders = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        var environment = new Dictionary<string, object>(12, StringComparer.Ordinal)
        {
            ["owin.Version"] = "1.0",
            ["owin.RequestMethod"] = request.Method,
            ["owin.RequestScheme"] = request.Scheme,
            ["owin.RequestPathBase"] = request.PathBase.Value ?? string.Empty,
            ["owin.RequestPath"] = path,
            ["owin.RequestQueryString"] = request.QueryString.HasValue ? request.QueryString.Value!.Substring(1) : string.Empty,
            ["owin.RequestHeaders"] = new RequestHeaders(request.Headers),
            ["owin.ResponseHeaders"] = responseHeaders,

            // ApplicationStopping, as OWIN hosts hand over theirs: the token reads cancelled from the moment the stop
            // begins, before any of its callbacks has run, so the first status request after it answers 503.
            ["host.OnAppDisposing"] = _appStopping,
        };

        // The connection's own peer, as the OWIN hosts report it; X-Forwarded-For is read by the core, and only from
        // a trusted proxy (docs/from-katana-to-aspnetcore.md says how this sits with ForwardedHeadersMiddleware).
        if (context.Connection.RemoteIpAddress is { } remote)
        {
            environment["server.RemoteIpAddress"] = remote.ToString();
        }

        var body = new OwinResponse(context.Response, environment, responseHeaders);
        environment["owin.ResponseBody"] = body;
        await _endpoint.Invoke(environment).ConfigureAwait(false);
        body.Commit();
    }
}
