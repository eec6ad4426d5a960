using System;
using System.IO;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace Recipes.Tests;

/// <summary>docs/recipes/lighttpd.md, run by Debian's lighttpd in front of LegacyApp (under /rt/) and a real PostgreSQL.</summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class LighttpdRecipeTests
{
    private static readonly string[] HealthPaths = ["/rt/healthz/ping", "/rt/healthz/status"];

    [Test]
    public async Task RtProxyConf_DatabaseStoppedAndStarted_PrefixedStatusGoes200Then503Then200AndPingAndPageWork()
    {
        await using var stack = await RecipeStack.StartAsync("/rt/");
        await using var lighttpd = await StartAsync(stack);
        var proxy = new ProxiedSite(RecipeStack.CreateClient(), $"http://127.0.0.1:{lighttpd.Port}", "www.example.com");

        await proxy.AssertAppUnderRtPrefixAsync(stack, "lighttpd", lighttpd.Output);
    }

    [Test]
    public async Task RtProxyConf_OutsiderSendsAllowedAddressInForwardedFor_Gets404AndAllowedClientGets200()
    {
        await using var stack = await RecipeStack.StartAsync("/rt/", ForwardedForCheck.AppSettings(allowProxyItself: false));
        await using var lighttpd = await StartAsync(stack);

        var observed = await ForwardedForCheck.ThroughProxyAsync(new Uri($"http://127.0.0.1:{lighttpd.Port}"), "www.example.com", HealthPaths);

        // The control: straight to the app, the header from the proxy's address decides.
        Assert.That(await ForwardedForCheck.DirectAsync(new Uri(stack.AppBaseUri, "healthz/ping")), Is.EqualTo(ForwardedForCheck.DirectControl));
        Assert.That(observed, Is.EqualTo(ForwardedForCheck.Expected(ForwardedForCheck.Safe, HealthPaths)), lighttpd.Output);
    }

    private static Task<ForegroundProcess> StartAsync(RecipeStack stack)
    {
        var recipe = RecipeFile.Load("lighttpd.md");
        Directory.CreateDirectory(stack.TempPath("htdocs"));
        return ForegroundProcess.StartAsync("lighttpd", port =>
        {
            var site = recipe.Block("rt-proxy.conf")
                .Replace("127.0.0.1:8080", stack.AppAddress)
                .Replace("\"port\" => 8080", $"\"port\" => {stack.App.Port}")
                .WriteTo(stack.TempPath("rt-proxy.conf"));
            var config = new RecipeText("lighttpd.conf", MainConfig(stack.TemporaryDirectory, port, site)).WriteTo(stack.TempPath("lighttpd.conf"));
            return new ProgramCommand("/usr/sbin/lighttpd", ["-D", "-f", config]);
        });
    }

    // What Debian's /etc/lighttpd/lighttpd.conf provides, bound to loopback, with every path in the temp folder.
    private static string MainConfig(string directory, int port, string siteConfig) => $"""
        server.modules = ( )
        server.bind = "127.0.0.1"
        server.port = {port}
        server.document-root = "{directory}/htdocs"
        server.upload-dirs = ( "{directory}" )
        server.errorlog = "{directory}/error.log"
        include "{siteConfig}"
        """;
}
