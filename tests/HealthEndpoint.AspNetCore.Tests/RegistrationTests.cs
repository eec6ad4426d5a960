using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using HealthEndpoint.Owin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.AspNetCore.Tests;

/// <summary>
/// <c>AddHealthEndpoint</c> + <c>UseHealthEndpoint</c>: bad settings stop the app while it is built, every other request
/// passes with nothing allocated, and the host's lifetime drives the endpoint's lifecycle.
/// </summary>
[TestFixture]
public sealed class RegistrationTests
{
    [Test]
    public void UseHealthEndpoint_BadSettings_ThrowsNamingEveryOneBeforeAnyRequest()
    {
        var builder = NewBuilder();
        builder.Services.AddHealthChecks().AddCheck("Mail Server", () => HealthCheckResult.Healthy());
        builder.Services.AddHealthEndpoint(options =>
        {
            options.PingPath = "ping";
            options.CheckTimeout = TimeSpan.FromSeconds(-1);
        });
        using var app = (IDisposable)builder.Build();

        var error = Assert.Throws<HealthEndpointConfigurationException>(() => ((WebApplication)app).UseHealthEndpoint());

        TestContext.Out.WriteLine(error!.Message);
        Assert.Multiple(() =>
        {
            Assert.That(error.Keys, Is.EquivalentTo(new[] { "HealthEndpointOptions.PingPath", "HealthEndpointOptions.CheckTimeout", "HealthEndpointOptions.Checks" }));
            Assert.That(error.Message, Does.Contain("mail server"));
        });
    }

    [Test]
    public void UseHealthEndpoint_NegativeDrainDelay_ThrowsNamingIt()
    {
        var builder = NewBuilder();
        builder.Services.AddHealthEndpoint(_ => { }, host => host.DrainDelay = TimeSpan.FromSeconds(-1));
        using var app = (IDisposable)builder.Build();

        var error = Assert.Throws<HealthEndpointConfigurationException>(() => ((WebApplication)app).UseHealthEndpoint());

        Assert.That(error!.Keys, Is.EqualTo(new[] { "HealthEndpointHostOptions.DrainDelay" }));
    }

    [Test]
    public void UseHealthEndpoint_WithoutAddHealthEndpoint_SaysWhatIsMissing()
    {
        using var app = (IDisposable)NewBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => ((WebApplication)app).UseHealthEndpoint());

        Assert.That(error!.Message, Does.Contain("AddHealthEndpoint"));
    }

    [Test]
    public async Task OtherPath_PassesToNext_AllocatesNothing()
    {
        var (pipeline, nextCalls) = BuildPipeline();
        var other = new DefaultHttpContext();
        other.Request.Path = "/tickets/42";
        other.Request.Method = "GET";
        await pipeline(other);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            await pipeline(other);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Multiple(() =>
        {
            Assert.That(allocated, Is.Zero, "bytes allocated by 1,000 requests that are not health requests");
            Assert.That(nextCalls(), Is.EqualTo(1_001));
        });
    }

    [Test]
    public async Task HealthPath_Control_AllocatesAndNeverCallsNext()
    {
        var (pipeline, nextCalls) = BuildPipeline();
        var ping = new DefaultHttpContext();
        ping.Request.Path = "/healthz/ping";
        ping.Request.Method = "GET";

        var before = GC.GetAllocatedBytesForCurrentThread();
        await pipeline(ping);

        Assert.Multiple(() =>
        {
            Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Positive, "the OWIN environment of a health request");
            Assert.That(ping.Response.StatusCode, Is.EqualTo(200));
            Assert.That(nextCalls(), Is.Zero);
        });
    }

    [Test]
    public async Task ApplicationStopping_DuringDrainDelay_Status503ShutdownWhileListening()
    {
        var builder = NewBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddHealthEndpoint(options => options.StartupPath = "/startupz", host => host.DrainDelay = TimeSpan.FromSeconds(2));
        await using var app = builder.Build();
        app.UseHealthEndpoint();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        var startup = await client.GetAsync("/startupz");
        var before = await client.GetStringAsync("/healthz/status");

        var stopping = Task.Run(() => app.Lifetime.StopApplication());
        await Owin.Testing.Poll.UntilAsync(() => Task.FromResult(app.Lifetime.ApplicationStopping.IsCancellationRequested), TimeSpan.FromSeconds(5), "ApplicationStopping");
        var during = await client.GetAsync("/healthz/status");
        var body = await during.Content.ReadAsStringAsync();
        await stopping;

        Assert.Multiple(() =>
        {
            Assert.That((int)startup.StatusCode, Is.EqualTo(200), "startupz once ApplicationStarted fired");
            Assert.That(before, Does.Contain("\"status\":\"ok\""));
            Assert.That(((int)during.StatusCode, body), Is.EqualTo((503, """{"checks":{"shutdown":"fail"},"status":"fail"}""")));
        });
    }

    private static WebApplicationBuilder NewBuilder()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        return builder;
    }

    private static (RequestDelegate Pipeline, Func<int> NextCalls) BuildPipeline()
    {
        var builder = NewBuilder();
        builder.Services.AddHealthEndpoint(_ => { });
        var app = builder.Build();
        var calls = 0;
        app.UseHealthEndpoint();
        app.Run(_ =>
        {
            calls++;
            return Task.CompletedTask;
        });
        return (((IApplicationBuilder)app).Build(), () => calls);
    }
}
