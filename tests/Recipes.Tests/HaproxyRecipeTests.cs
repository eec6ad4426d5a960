using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Owin.HealthEndpoint.Testing;

namespace Recipes.Tests;

/// <summary>docs/recipes/haproxy.md, run by Debian's haproxy in front of LegacyApp and a real PostgreSQL.</summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class HaproxyRecipeTests
{
    [Test]
    public async Task HaproxyCfg_DatabaseStoppedAndStarted_ServerGoesUpDownUpAndRequestsGet503WhileDown()
    {
        await using var stack = await RecipeStack.StartAsync();
        var socket = stack.TempPath("admin.sock");
        var recipe = RecipeFile.Load("haproxy.md");
        await using var haproxy = await ForegroundProcess.StartAsync("haproxy", port =>
        {
            var config = recipe.Block("haproxy.cfg")
                .Replace("127.0.0.1:8000", $"127.0.0.1:{port}")
                .Replace("127.0.0.1:8080", stack.AppAddress)
                .Replace("/run/haproxy/admin.sock", socket)
                .Replace("inter 2s", "inter 200ms")
                .WriteTo(stack.TempPath("haproxy.cfg"));
            return new ProgramCommand("/usr/sbin/haproxy", ["-db", "-f", config]);
        });
        using var client = RecipeStack.CreateClient();

        // HAProxy's view (the runtime API) and a user's view (a page through HAProxy, with a public Host header).
        async Task<string> ObserveAsync()
        {
            var server = await HaproxyRuntimeApi.ServerStatusAsync(socket, "rt_app", "app1");
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{haproxy.Port}/");
            request.Headers.Host = "rt.example.com";
            using var response = await client.SendAsync(request);
            return $"{server} {(int)response.StatusCode}";
        }

        await HealthTransitions.RunAsync(stack, "haproxy", ObserveAsync, healthy: "UP 200", unhealthy: "DOWN 503");

        using var status = await client.GetAsync($"http://127.0.0.1:{haproxy.Port}/healthz/status");
        Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.OK), haproxy.Output);
    }
}
