using System;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Redis;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Redis.Tests;

/// <summary>One status request through the middleware with only the Redis check, no cache.</summary>
internal static class RedisProbe
{
    /// <summary>Passwords the suites use; no response may contain them.</summary>
    public static readonly string[] Secrets = { "s3cret-PASSWORD-9d1e", "hunter2", "wrong-password" };

    /// <summary>The <c>redis</c> token of one status response (<c>ok</c> or <c>fail</c>), else the whole body.</summary>
    public static async Task<string> StatusOfAsync(RedisHealthCheck check, TimeSpan timeout)
    {
        var (_, body) = await ProbeAsync(check, timeout);
        return body.Contains("\"redis\":\"ok\"", StringComparison.Ordinal) ? "ok"
            : body.Contains("\"redis\":\"fail\"", StringComparison.Ordinal) ? "fail"
            : body;
    }

    /// <summary>The status code and body of one status request.</summary>
    public static async Task<(int Status, string Body)> ProbeAsync(RedisHealthCheck check, TimeSpan timeout)
    {
        var options = new HealthEndpointOptions { Redis = check.CheckAsync, StatusCacheDuration = TimeSpan.Zero, CheckTimeout = timeout };
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
        var environment = OwinEnvironment.Create("GET", "/healthz/status");
        await middleware.Invoke(environment);
        var body = environment.ResponseBodyText();
        foreach (var secret in Secrets)
        {
            Assert.That(body, Does.Not.Contain(secret));
        }

        return (environment.StatusCode(), body);
    }
}
