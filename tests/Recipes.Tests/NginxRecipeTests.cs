using System;
using System.IO;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace Recipes.Tests;

/// <summary>docs/recipes/nginx.md, run by Debian's nginx in front of LegacyApp (under /rt/) and a real PostgreSQL.</summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class NginxRecipeTests
{
    private const string ForwardedForLine = "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n";
    private static readonly string[] HealthPaths = ["/rt/healthz/ping", "/rt/healthz/status"];

    [Test]
    public async Task RtConf_DatabaseStoppedAndStarted_PrefixedStatusGoes200Then503Then200AndPingAndPageWork()
    {
        await using var stack = await RecipeStack.StartAsync("/rt/");
        await using var nginx = await StartAsync(stack, RecipeFile.Load("nginx.md").Block("rt.conf"));
        var proxy = new ProxiedSite(RecipeStack.CreateClient(), $"http://127.0.0.1:{nginx.Port}", "www.example.com");

        await proxy.AssertAppUnderRtPrefixAsync(stack, "nginx", nginx.Output);
        Assert.That(File.ReadAllText(stack.TempPath("access.log")), Does.Contain("GET /rt/ ").And.Not.Contain("/rt/healthz/"), "probes are not logged");
    }

    [Test]
    public async Task RtConf_OutsiderSendsAllowedAddressInForwardedFor_Gets404AndAllowedClientGets200()
    {
        await using var stack = await RecipeStack.StartAsync("/rt/", ForwardedForCheck.AppSettings(allowProxyItself: false));
        await using var nginx = await StartAsync(stack, RecipeFile.Load("nginx.md").Block("rt.conf"));

        var observed = await ForwardedForCheck.ThroughProxyAsync(new Uri($"http://127.0.0.1:{nginx.Port}"), "www.example.com", HealthPaths);

        Assert.That(await ForwardedForCheck.DirectAsync(new Uri(stack.AppBaseUri, "healthz/ping")), Is.EqualTo(ForwardedForCheck.DirectControl));
        Assert.That(observed, Is.EqualTo(ForwardedForCheck.Expected(ForwardedForCheck.Safe, HealthPaths)), nginx.Output);
    }

    [Test]
    public async Task RtConfWithoutForwardedForLine_OutsiderSendsAllowedAddress_Gets200AndAllowedClientGets404()
    {
        // The control: the recipe as it was before issue 10, when the health location sent no X-Forwarded-For.
        await using var stack = await RecipeStack.StartAsync("/rt/", ForwardedForCheck.AppSettings(allowProxyItself: false));
        await using var nginx = await StartAsync(stack, RecipeFile.Load("nginx.md").Block("rt.conf").Replace(ForwardedForLine, string.Empty));

        var observed = await ForwardedForCheck.ThroughProxyAsync(new Uri($"http://127.0.0.1:{nginx.Port}"), "www.example.com", HealthPaths);

        Assert.That(observed, Is.EqualTo(ForwardedForCheck.Expected("outsider claiming 127.0.0.2: 200, allowed client: 404", HealthPaths)), nginx.Output);
    }

    // Runs the site block on a free port, included from a main configuration of the check's own.
    private static Task<ForegroundProcess> StartAsync(RecipeStack stack, RecipeText siteBlock) =>
        ForegroundProcess.StartAsync("nginx", port =>
        {
            var site = new RecipeText("rt.conf", siteBlock.Text)
                .Replace("127.0.0.1:8000", $"127.0.0.1:{port}")
                .Replace("127.0.0.1:8080", stack.AppAddress)
                .WriteTo(stack.TempPath("rt.conf"));
            var config = new RecipeText("nginx.conf", MainConfig(stack.TemporaryDirectory, site)).WriteTo(stack.TempPath("nginx.conf"));
            return new ProgramCommand("/usr/sbin/nginx", ["-p", stack.TemporaryDirectory, "-e", stack.TempPath("error.log"), "-c", config]);
        });

    // What Debian's /etc/nginx/nginx.conf provides, with every path in the temp folder.
    private static string MainConfig(string directory, string siteConfig) => $$"""
        daemon off;
        {{(Environment.IsPrivilegedProcess ? "user root;" : string.Empty)}}
        worker_processes 1;
        pid {{directory}}/nginx.pid;
        error_log {{directory}}/error.log;
        events { worker_connections 64; }
        http {
            access_log {{directory}}/access.log;
            client_body_temp_path {{directory}}/client_body;
            proxy_temp_path {{directory}}/proxy;
            fastcgi_temp_path {{directory}}/fastcgi;
            uwsgi_temp_path {{directory}}/uwsgi;
            scgi_temp_path {{directory}}/scgi;
            include {{siteConfig}};
        }
        """;
}
