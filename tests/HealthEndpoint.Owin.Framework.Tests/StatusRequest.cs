using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Framework.Tests;

/// <summary>One GET of the status path through a middleware, read back as status code and body.</summary>
internal static class StatusRequest
{
    public static async Task<(int StatusCode, string Body)> SendAsync(HealthEndpointMiddleware middleware)
    {
        var environment = OwinEnvironment.Create("GET", "/healthz/status");
        await middleware.Invoke(environment);
        return (environment.StatusCode(), environment.ResponseBodyText());
    }
}
