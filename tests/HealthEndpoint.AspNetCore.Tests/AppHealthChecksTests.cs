using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.AspNetCore.Tests.Behaviour;
using HealthEndpoint.Owin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.AspNetCore.Tests;

/// <summary>
/// The app's own <c>AddHealthChecks()</c> registrations, run by the endpoint's runner: named as registered,
/// <c>Degraded</c> reported ok as in the HealthChecks adapter, selected by a predicate on tags, one shared run.
/// </summary>
[TestFixture]
public sealed class AppHealthChecksTests
{
    [Test]
    public async Task Registrations_HealthyDegradedUnhealthy_ReportedUnderTheirLowercaseNames()
    {
        await using var app = await StartAsync(checks => checks
            .AddCheck("Queue", () => HealthCheckResult.Healthy())
            .AddCheck("cache", () => HealthCheckResult.Degraded("slow"))
            .AddCheck("mail", () => HealthCheckResult.Unhealthy("smtp at 10.0.0.9 refused")));

        var response = await WireResponse.SendAsync(app.Client, "GET", "/healthz/status");

        Assert.That((response.Status, response.BodyText), Is.EqualTo(
            (503, """{"checks":{"cache":"ok","database":"skipped","mail":"fail","queue":"ok","redis":"skipped"},"status":"fail"}""")));
    }

    [Test]
    public async Task Registration_NamedRedis_FillsTheBuiltInRedisCheck()
    {
        await using var app = await StartAsync(checks => checks.AddCheck("redis", () => HealthCheckResult.Healthy()));

        var response = await WireResponse.SendAsync(app.Client, "GET", "/healthz/status");

        Assert.That(response.BodyText, Is.EqualTo("""{"checks":{"database":"skipped","redis":"ok"},"status":"ok"}"""));
    }

    [Test]
    public async Task Predicate_OnTags_OnlySelectedRegistrationsRun()
    {
        var untaggedRuns = 0;
        await using var app = await StartAsync(
            checks => checks
                .AddCheck("queue", () => HealthCheckResult.Healthy(), tags: ["ready"])
                .AddCheck("report", () =>
                {
                    Interlocked.Increment(ref untaggedRuns);
                    return HealthCheckResult.Unhealthy();
                }),
            host => host.Predicate = registration => registration.Tags.Contains("ready"));

        var response = await WireResponse.SendAsync(app.Client, "GET", "/healthz/status");

        Assert.Multiple(() =>
        {
            Assert.That(response.BodyText, Is.EqualTo("""{"checks":{"database":"skipped","queue":"ok","redis":"skipped"},"status":"ok"}"""));
            Assert.That(untaggedRuns, Is.Zero);
        });
    }

    [Test]
    public async Task ConcurrentStatusRequests_SlowRegistration_OneSharedRun()
    {
        var runs = 0;
        await using var app = await StartAsync(checks => checks.AddAsyncCheck("slow", async () =>
        {
            Interlocked.Increment(ref runs);
            await Task.Delay(300);
            return HealthCheckResult.Healthy();
        }));

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => WireResponse.SendAsync(app.Client, "GET", "/healthz/status")));

        Assert.Multiple(() =>
        {
            Assert.That(responses.Select(response => response.Status), Is.All.EqualTo(200));
            Assert.That(runs, Is.EqualTo(1), "check runs for 20 concurrent requests");
        });
    }

    [Test]
    public async Task HangingRegistration_PastCheckTimeout_AnsweredFailInTime()
    {
        await using var app = await StartAsync(
            checks => checks.AddAsyncCheck("hang", async () =>
            {
                await Task.Delay(Timeout.Infinite, CancellationToken.None);
                return HealthCheckResult.Healthy();
            }),
            configure: options => options.CheckTimeout = TimeSpan.FromMilliseconds(300));

        var started = System.Diagnostics.Stopwatch.StartNew();
        var response = await WireResponse.SendAsync(app.Client, "GET", "/healthz/status");

        Assert.Multiple(() =>
        {
            Assert.That(response.BodyText, Is.EqualTo("""{"checks":{"database":"skipped","hang":"fail","redis":"skipped"},"status":"fail"}"""));
            Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "answered at the deadline, not never");
        });
    }

    private static async Task<App> StartAsync(
        Action<IHealthChecksBuilder> addChecks, Action<HealthEndpointHostOptions>? host = null, Action<HealthEndpointOptions>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        addChecks(builder.Services.AddHealthChecks());
        builder.Services.AddHealthEndpoint(options => configure?.Invoke(options), host);
        var app = builder.Build();
        app.UseHealthEndpoint();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new App(app, new HttpClient { BaseAddress = new Uri(address) });
    }

    private sealed record App(WebApplication Web, HttpClient Client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Web.DisposeAsync();
        }
    }
}
