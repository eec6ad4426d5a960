using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Plugin.Tests;

/// <summary>The plugin style takes the app's own named checks, and the host's startup properties.</summary>
[TestFixture]
public sealed class PluginCustomCheckTests
{
    [Test]
    public async Task Pipeline_CustomCheckAddedAtRegistration_AppearsInStatusAndFailsItWhenItThrows()
    {
        var queueDown = false;
        var catalog = HealthEndpointPlugin.Register(new PluginCatalog(), options =>
            options.Checks.Add(new NamedHealthCheck("queue", _ =>
                queueDown ? throw new InvalidOperationException("queue-secret-marker") : Task.CompletedTask)));
        using var pipeline = PluginPipeline.Build(new RecordingApp().Invoke, catalog, Context());

        var healthy = await StatusAsync(pipeline);
        queueDown = true;
        var failing = await StatusAsync(pipeline);

        Assert.That(healthy.StatusCode(), Is.EqualTo(200));
        Assert.That(healthy.ResponseBodyText(), Is.EqualTo("""{"checks":{"database":"skipped","queue":"ok","redis":"skipped"},"status":"ok"}"""));
        Assert.That(failing.StatusCode(), Is.EqualTo(503));
        Assert.That(failing.ResponseBodyText(), Is.EqualTo("""{"checks":{"database":"skipped","queue":"fail","redis":"skipped"},"status":"fail"}"""));
    }

    [Test]
    public async Task Pipeline_RegisteredWithoutHook_ReportsNoCustomCheck()
    {
        using var pipeline = PluginPipeline.Build(new RecordingApp().Invoke, HealthEndpointPlugin.Register(new PluginCatalog()), Context());

        var status = await StatusAsync(pipeline);

        Assert.That(status.ResponseBodyText(), Is.EqualTo("""{"checks":{"database":"skipped","redis":"skipped"},"status":"ok"}"""));
    }

    [Test]
    public void Build_CustomCheckWithBadName_ThrowsNamingTheChecksKeyWithConfigurationProblems()
    {
        var catalog = HealthEndpointPlugin.Register(new PluginCatalog(), options =>
            options.Checks.Add(new NamedHealthCheck("Queue", _ => Task.CompletedTask)));
        var context = Context(("HealthEndpoint:CheckTimeout", "2"));

        var exception = Assert.Throws<HealthEndpointConfigurationException>(() => PluginPipeline.Build(new RecordingApp().Invoke, catalog, context));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { "HealthEndpoint:CheckTimeout", "HealthEndpoint:Checks" }));
    }

    [Test]
    public async Task Pipeline_LifecycleTakenInConfigure_DrainsWhenTheHostBeginsDraining()
    {
        HealthEndpointLifecycle? lifecycle = null;
        var catalog = HealthEndpointPlugin.Register(new PluginCatalog(), options => lifecycle = options.Lifecycle);
        using var pipeline = PluginPipeline.Build(new RecordingApp().Invoke, catalog, Context());

        var before = await StatusAsync(pipeline);
        lifecycle!.BeginDraining();
        var during = await StatusAsync(pipeline);

        Assert.That(before.StatusCode(), Is.EqualTo(200), "the control: ready while the token is live");
        Assert.That(during.StatusCode(), Is.EqualTo(503));
        Assert.That(during.ResponseBodyText(), Is.EqualTo("""{"checks":{"shutdown":"fail"},"status":"fail"}"""));
    }

    private static PluginContext Context(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["HealthEndpoint:StatusCacheDuration"] = "00:00:00" };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return new PluginContext(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    private static async Task<IDictionary<string, object>> StatusAsync(PluginPipeline pipeline)
    {
        var environment = OwinEnvironment.Create("GET", "/healthz/status");
        await pipeline.App(environment);
        return environment;
    }
}
