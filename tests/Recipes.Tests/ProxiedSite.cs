using System.Net.Http;
using System.Threading.Tasks;

namespace Recipes.Tests;

/// <summary>Requests through a reverse proxy under a public host name, as a browser or probe would send them.</summary>
internal sealed class ProxiedSite(HttpClient client, string proxyAddress, string hostName)
{
    /// <summary>GETs <paramref name="path"/> and returns "status body", e.g. <c>200 pong</c>.</summary>
    public async Task<string> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, proxyAddress + path);
        request.Headers.Host = hostName;
        using var response = await client.SendAsync(request);
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    /// <summary>
    /// The app's page under <c>/rt/</c> works through the proxy, <c>/rt/healthz/status</c> goes 200 → 503 → 200
    /// as PostgreSQL is stopped and started, and <c>/rt/healthz/ping</c> answers <c>pong</c>.
    /// </summary>
    public async Task AssertAppUnderRtPrefixAsync(RecipeStack stack, string program, string programOutput)
    {
        Assert.That(await GetAsync("/rt/"), Does.StartWith("200 <!doctype html><title>LegacyApp</title>"), programOutput);
        await HealthTransitions.RunAsync(
            stack,
            program + " /rt/healthz/status",
            () => GetAsync("/rt/healthz/status"),
            healthy: """200 {"checks":{"database":"ok","redis":"skipped"},"status":"ok"}""",
            unhealthy: """503 {"checks":{"database":"fail","redis":"skipped"},"status":"fail"}""");
        Assert.That(await GetAsync("/rt/healthz/ping"), Is.EqualTo("200 pong"));
    }
}
