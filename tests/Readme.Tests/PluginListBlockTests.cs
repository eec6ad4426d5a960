using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Host.HttpListener;
using HealthEndpoint.Owin.Plugin;
using HealthEndpoint.Owin.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using MyApp;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>
/// The plugin-list block of docs/plugins.md exactly as printed (<c>LegacyHost.Create</c>, compiled from the document), on a real PostgreSQL,
/// with <c>HealthEndpoint:StartupPath=/startupz</c>: the host's start and graceful stop reach the endpoint with
/// nothing wired by hand.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PluginListBlockTests
{
    [Test]
    public async Task PluginListBlock_AsPrinted_StartupzFollowsTheHostAndStatusDrainsOnStop()
    {
        var appCalls = 0;
        Func<IDictionary<string, object>, Task> legacyApp = _ =>
        {
            Interlocked.Increment(ref appCalls);
            return Task.CompletedTask;
        };
        var (pipeline, server, baseAddress, beforeStart) = await StartOnFreePortAsync(legacyApp);
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        (int, string) started, status, draining, liveDuringDrain;
        int appPage;
        Task stop;
        using (pipeline)
        {
            started = await GetAsync(client, "/startupz");
            status = await GetAsync(client, "/healthz/status");
            appPage = (await GetAsync(client, "/tickets")).Item1;
            stop = server.StopAsync();
            draining = await GetAsync(client, "/healthz/status");
            liveDuringDrain = await GetAsync(client, "/healthz/ping");
            var drainStillOpen = !stop.IsCompleted;
            await server.DisposeAsync();

            Assert.That(drainStillOpen, Is.True, "the drain probes were answered inside the 5 s window");
        }

        Assert.That(beforeStart, Is.EqualTo(503), "invoked before the host starts: not started");
        Assert.That(started, Is.EqualTo((200, "ok")));
        Assert.That(status, Is.EqualTo((200, """{"checks":{"database":"ok","queue":"ok","redis":"skipped"},"status":"ok"}""")));
        Assert.That(appPage, Is.EqualTo(200));
        Assert.That(appCalls, Is.EqualTo(1), "only the app's own path reached the app");
        Assert.That(draining, Is.EqualTo((503, """{"checks":{"shutdown":"fail"},"status":"fail"}""")));
        Assert.That(liveDuringDrain, Is.EqualTo((200, "pong")));
        Assert.That(stop.IsCompletedSuccessfully, Is.True);
    }

    // Builds the block as printed; invokes the app before the host starts; starts it, on a new free port when another
    // process took the one picked in the meantime.
    private static async Task<(PluginPipeline, HttpListenerOwinServer, Uri, int)> StartOnFreePortAsync(Func<IDictionary<string, object>, Task> legacyApp)
    {
        for (var attempt = 1; ; attempt++)
        {
            var baseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreeTcpPort.Next()}/"));
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Urls"] = baseAddress.ToString(),
                ["HealthEndpoint:StartupPath"] = "/startupz",
                ["HealthEndpoint:StatusCacheDuration"] = "00:00:00",
                ["Database:Provider"] = "Npgsql",
                ["Database:ConnectionString"] = ReadmeDatabase.ConnectionString,
            }).Build();
            var (pipeline, server) = LegacyHost.Create(legacyApp, configuration, NullLoggerFactory.Instance);
            var beforeStart = await InvokeDirectlyAsync(pipeline.App, "/startupz");
            try
            {
                await server.StartAsync();
                return (pipeline, server, baseAddress, beforeStart);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                await server.DisposeAsync();
                pipeline.Dispose();
            }
        }
    }

    private static async Task<int> InvokeDirectlyAsync(Func<IDictionary<string, object>, Task> app, string path)
    {
        var environment = OwinEnvironment.Create("GET", path);
        await app(environment);
        return environment.StatusCode();
    }

    private static async Task<(int, string)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
