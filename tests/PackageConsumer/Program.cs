using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using HealthEndpoint.Owin;

// Wraps an app with the packed middleware and prints what ping, status and a pass-through request produced.
var appCalls = 0;
var app = HealthEndpointMiddleware.Wrap(
    _ =>
    {
        appCalls++;
        return Task.CompletedTask;
    },
    new HealthEndpointOptions { Database = _ => Task.CompletedTask });

foreach (var path in new[] { "/healthz/ping", "/healthz/status", "/" })
{
    var body = new MemoryStream();
    var environment = new Dictionary<string, object>
    {
        ["owin.RequestMethod"] = "GET",
        ["owin.RequestPath"] = path,
        ["owin.ResponseHeaders"] = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase),
        ["owin.ResponseBody"] = body,
    };
    await app(environment);
    var status = environment.TryGetValue("owin.ResponseStatusCode", out var code) ? code : 200;
    Console.WriteLine($"{path} {status} [{Encoding.UTF8.GetString(body.ToArray())}]");
}

Console.WriteLine($"app calls: {appCalls}");
