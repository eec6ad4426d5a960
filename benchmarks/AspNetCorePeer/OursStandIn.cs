using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HealthEndpoint.Owin;
using HealthEndpoint.Owin.HealthChecks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace HealthEndpoint.Owin.AspNetCorePeer;

/// <summary>
/// Pair 10's "ours" until HealthEndpoint.AspNetCore's <c>UseHealthEndpoint()</c> is on this branch: the OWIN
/// middleware in front of routing, answering the paths <see cref="HealthEndpointMiddleware.Handles"/> names through a
/// plain OWIN environment, over the app's own registrations (each through <see cref="HealthCheckAdapter"/>:
/// <c>npgsql</c> as the database check, <c>redis</c> as the Redis check), every default.
/// </summary>
/// <remarks>
/// A bench stand-in, not the package: it buffers the body and copies the headers, so its ping costs more than the
/// package's should. When <c>UseHealthEndpoint()</c> lands, replace <see cref="Use"/>'s call with
/// <c>builder.Services.AddHealthEndpoint(); … app.UseHealthEndpoint();</c> and delete this file.
/// </remarks>
internal static class OursStandIn
{
    public static void Use(WebApplication app)
    {
        var options = new HealthEndpointOptions();
        foreach (var registration in app.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations)
        {
            HealthCheck check = new HealthCheckAdapter(registration.Name, registration.Factory(app.Services), new HealthCheckAdapterOptions { Timeout = options.CheckTimeout }).CheckAsync;
            switch (registration.Name)
            {
                case "npgsql":
                    options.Database = check;
                    break;
                case "redis":
                    options.Redis = check;
                    break;
                default:
                    options.Checks.Add(new NamedHealthCheck(registration.Name, check));
                    break;
            }
        }

        var endpoint = new HealthEndpointMiddleware(static _ => Task.CompletedTask, options);
        app.Use((context, next) => endpoint.Handles(context.Request.Path.Value ?? "/") ? AnswerAsync(endpoint, context) : next(context));
    }

    private static async Task AnswerAsync(HealthEndpointMiddleware endpoint, HttpContext context)
    {
        var request = context.Request;
        var responseHeaders = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        using var body = new MemoryStream();
        var environment = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["owin.Version"] = "1.0",
            ["owin.RequestMethod"] = request.Method,
            ["owin.RequestScheme"] = request.Scheme,
            ["owin.RequestProtocol"] = request.Protocol,
            ["owin.RequestPathBase"] = string.Empty,
            ["owin.RequestPath"] = request.Path.Value ?? "/",
            ["owin.RequestQueryString"] = request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty,
            ["owin.RequestHeaders"] = request.Headers.ToDictionary(header => header.Key, header => header.Value.ToArray()!, StringComparer.OrdinalIgnoreCase),
            ["owin.RequestBody"] = Stream.Null,
            ["owin.ResponseHeaders"] = responseHeaders,
            ["owin.ResponseBody"] = body,
            ["owin.CallCancelled"] = context.RequestAborted,
            ["server.RemoteIpAddress"] = context.Connection.RemoteIpAddress?.ToString() ?? string.Empty,
        };
        await endpoint.Invoke(environment);

        context.Response.StatusCode = environment.TryGetValue("owin.ResponseStatusCode", out var code) ? (int)code : 200;
        foreach (var (name, values) in responseHeaders)
        {
            context.Response.Headers[name] = values;
        }

        await context.Response.Body.WriteAsync(body.GetBuffer().AsMemory(0, (int)body.Length));
    }
}
