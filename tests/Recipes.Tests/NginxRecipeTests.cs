using System;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;
using Owin.HealthEndpoint.Testing;

namespace Recipes.Tests;

/// <summary>docs/recipes/nginx.md, run by Debian's nginx in front of LegacyApp (under /rt/) and a real PostgreSQL.</summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class NginxRecipeTests
{
    [Test]
    public async Task RtConf_DatabaseStoppedAndStarted_PrefixedStatusGoes200Then503Then200AndPingAndPageWork()
    {
        await using var stack = await RecipeStack.StartAsync("/rt/");
        var recipe = RecipeFile.Load("nginx.md");
        await using var nginx = await ForegroundProcess.StartAsync("nginx", port =>
        {
            var site = recipe.Block("rt.conf")
                .Replace("127.0.0.1:8000", $"127.0.0.1:{port}")
                .Replace("127.0.0.1:8080", stack.AppAddress)
                .WriteTo(stack.TempPath("rt.conf"));
            var config = new RecipeText("nginx.conf", MainConfig(stack.TemporaryDirectory, site)).WriteTo(stack.TempPath("nginx.conf"));
            return new ProgramCommand("/usr/sbin/nginx", ["-p", stack.TemporaryDirectory, "-e", stack.TempPath("error.log"), "-c", config]);
        });
        var proxy = new ProxiedSite(RecipeStack.CreateClient(), $"http://127.0.0.1:{nginx.Port}", "www.example.com");

        await proxy.AssertAppUnderRtPrefixAsync(stack, "nginx", nginx.Output);
        Assert.That(File.ReadAllText(stack.TempPath("access.log")), Does.Contain("GET /rt/ ").And.Not.Contain("/rt/healthz/"), "probes are not logged");
    }

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
