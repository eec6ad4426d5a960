using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests.Answers;

/// <summary>Builds a middleware with every probe family on, and sends it one request.</summary>
internal static class ProbeFixture
{
    public static HealthEndpointOptions AllOn(string database = "ok", string redis = "skipped")
    {
        return new HealthEndpointOptions
        {
            LivePath = "/livez",
            ReadyPath = "/readyz",
            StartupPath = "/startupz",
            PerCheckPaths = true,
            ProbeQueries = true,
            HealthJson = true,
            Database = Check(database),
            Redis = Check(redis),
            StatusCacheDuration = TimeSpan.Zero,
        };
    }

    public static async Task<IDictionary<string, object>> SendAsync(
        HealthEndpointMiddleware middleware, string method, string path, string query = "", string? accept = null)
    {
        var environment = OwinEnvironment.Create(method, path, queryString: query);
        if (accept is not null)
        {
            ((IDictionary<string, string[]>)environment["owin.RequestHeaders"])["Accept"] = [accept];
        }

        await middleware.Invoke(environment);
        return environment;
    }

    public static HealthCheck? Check(string outcome) => outcome switch
    {
        "ok" => _ => Task.CompletedTask,
        "fail" => _ => Task.FromException(new InvalidOperationException("secret-marker")),
        "skipped" => null,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };
}
