using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace Recipes.Tests;

/// <summary>docs/recipes/haproxy.md, run by Debian's haproxy in front of LegacyApp and a real PostgreSQL.</summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class HaproxyRecipeTests
{
    private static readonly string[] HealthPaths = ["/healthz/ping", "/healthz/status"];

    [Test]
    public async Task HaproxyCfg_DatabaseStoppedAndStarted_ServerGoesUpDownUpAndRequestsGet503WhileDown()
    {
        await using var stack = await RecipeStack.StartAsync();
        var socket = stack.TempPath("admin.sock");
        await using var haproxy = await StartAsync(stack, RecipeFile.Load("haproxy.md").Block("haproxy.cfg"));
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

    [Test]
    public async Task HaproxyCfg_OutsiderSendsAllowedAddressInForwardedFor_Gets404AndAllowedClientGets200()
    {
        await using var stack = await RecipeStack.StartAsync("/", ForwardedForCheck.AppSettings(allowProxyItself: true));
        await using var haproxy = await StartAsync(stack, RecipeFile.Load("haproxy.md").Block("haproxy.cfg"));

        var observed = await ObserveForwardedForAsync(stack, haproxy);

        Assert.That(await ForwardedForCheck.DirectAsync(new Uri(stack.AppBaseUri, "healthz/ping")), Is.EqualTo(ForwardedForCheck.DirectControl));
        Assert.That(observed, Is.EqualTo(ForwardedForCheck.Expected(ForwardedForCheck.Safe, HealthPaths)), haproxy.Output);
    }

    [Test]
    public async Task HaproxyCfgWithoutForwardFor_OutsiderSendsAllowedAddressInForwardedFor_Gets200()
    {
        // The control: without "option forwardfor" HAProxy passes the outsider's header on, and the app believes it.
        await using var stack = await RecipeStack.StartAsync("/", ForwardedForCheck.AppSettings(allowProxyItself: true));
        await using var haproxy = await StartAsync(stack, RecipeFile.Load("haproxy.md").Block("haproxy.cfg").Replace("    option forwardfor\n", string.Empty));

        var observed = await ObserveForwardedForAsync(stack, haproxy);

        Assert.That(observed, Is.EqualTo(ForwardedForCheck.Expected("outsider claiming 127.0.0.2: 200, allowed client: 200", HealthPaths)), haproxy.Output);
    }

    // Once HAProxy's own check (allowed as 127.0.0.1) has put app1 UP, the two clients go through it.
    private static async Task<string> ObserveForwardedForAsync(RecipeStack stack, ForegroundProcess haproxy)
    {
        await HealthTransitions.ExpectAsync("haproxy", () => HaproxyRuntimeApi.ServerStatusAsync(stack.TempPath("admin.sock"), "rt_app", "app1"), "UP", "at start");
        return await ForwardedForCheck.ThroughProxyAsync(new Uri($"http://127.0.0.1:{haproxy.Port}"), "rt.example.com", HealthPaths);
    }

    private static Task<ForegroundProcess> StartAsync(RecipeStack stack, RecipeText block) =>
        ForegroundProcess.StartAsync("haproxy", port =>
        {
            var config = new RecipeText("haproxy.cfg", block.Text)
                .Replace("127.0.0.1:8000", $"127.0.0.1:{port}")
                .Replace("127.0.0.1:8080", stack.AppAddress)
                .Replace("/run/haproxy/admin.sock", stack.TempPath("admin.sock"))
                .Replace("inter 2s", "inter 200ms")
                .WriteTo(stack.TempPath("haproxy.cfg"));
            return new ProgramCommand("/usr/sbin/haproxy", ["-db", "-f", config]);
        });
}
