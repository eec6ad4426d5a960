using System;
using System.Net.Http;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace Recipes.Tests;

/// <summary>docs/recipes/caddy.md, run by Debian's caddy in front of LegacyApp and a real PostgreSQL.</summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class CaddyRecipeTests
{
    [Test]
    public async Task Caddyfile_DatabaseStoppedAndStarted_RequestsThroughCaddySucceedFailWith503AndSucceedAgain()
    {
        await using var stack = await RecipeStack.StartAsync();
        await using var caddy = await StartAsync(stack);
        using var client = RecipeStack.CreateClient();

        // Caddy's view is only visible in what it does: proxy (the app's 200 page) or refuse (503, no upstream).
        async Task<string> ObserveAsync()
        {
            using var response = await client.GetAsync($"http://127.0.0.1:{caddy.Port}/");
            var body = await response.Content.ReadAsStringAsync();
            return $"{(int)response.StatusCode}{(body.Contains("<h1>LegacyApp</h1>", System.StringComparison.Ordinal) ? " app page" : string.Empty)}";
        }

        await HealthTransitions.RunAsync(stack, "caddy", ObserveAsync, healthy: "200 app page", unhealthy: "503");

        // The 503 was Caddy's own (its only upstream marked down by the active check), not the app's.
        Assert.That(caddy.Output, Does.Contain("\"unexpected status code\",\"status_code\":503").And.Contain("no upstreams available"));
    }

    [Test]
    public async Task Caddyfile_OutsiderSendsAllowedAddressInForwardedFor_Gets404AndAllowedClientGets200()
    {
        string[] healthPaths = ["/healthz/ping", "/healthz/status"];
        await using var stack = await RecipeStack.StartAsync("/", ForwardedForCheck.AppSettings(allowProxyItself: true));
        await using var caddy = await StartAsync(stack);

        var observed = await ForwardedForCheck.ThroughProxyAsync(new Uri($"http://127.0.0.1:{caddy.Port}"), $"127.0.0.1:{caddy.Port}", healthPaths);

        // The control: straight to the app, the header from the proxy's address decides.
        Assert.That(await ForwardedForCheck.DirectAsync(new Uri(stack.AppBaseUri, "healthz/ping")), Is.EqualTo(ForwardedForCheck.DirectControl));
        Assert.That(observed, Is.EqualTo(ForwardedForCheck.Expected(ForwardedForCheck.Safe, healthPaths)), caddy.Output);
    }

    private static Task<ForegroundProcess> StartAsync(RecipeStack stack)
    {
        var recipe = RecipeFile.Load("caddy.md");
        return ForegroundProcess.StartAsync("caddy", port =>
        {
            var site = recipe.Block("Caddyfile")
                .Replace("127.0.0.1:8000", $"127.0.0.1:{port}")
                .Replace("127.0.0.1:8080", stack.AppAddress)
                .Replace("health_interval 5s", "health_interval 200ms")
                .Text;
            var config = new RecipeText("Caddyfile", "{\n\tadmin off\n}\n\n" + site).WriteTo(stack.TempPath("Caddyfile"));
            var command = new ProgramCommand("/usr/bin/caddy", ["run", "--adapter", "caddyfile", "--config", config]);
            command.Environment["HOME"] = stack.TemporaryDirectory;
            command.Environment["XDG_DATA_HOME"] = stack.TempPath("data");
            command.Environment["XDG_CONFIG_HOME"] = stack.TempPath("config");
            return command;
        });
    }
}
