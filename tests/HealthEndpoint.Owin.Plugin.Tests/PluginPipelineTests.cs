using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Plugin.Tests;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>The startup plugin list: order, skipping, and errors that name the plugin or the key.</summary>
[TestFixture]
public sealed class PluginPipelineTests
{
    [Test]
    public async Task Build_SeveralWrapPlugins_LastListedIsOutermost()
    {
        var trace = new List<string>();
        var catalog = new PluginCatalog()
            .Add("A", _ => new TracingPlugin("A", trace))
            .Add("B", _ => new TracingPlugin("B", trace))
            .Add("C", _ => new TracingPlugin("C", trace));
        var app = new RecordingApp();

        using var pipeline = PluginPipeline.Build(app.Invoke, ["A", "B", "C"], catalog, Context());
        await pipeline.App(OwinEnvironment.Create("GET", "/"));

        Assert.That(trace, Is.EqualTo(new[] { "C", "B", "A" }), "the last plugin listed sees the request first");
        Assert.That(app.Calls, Is.EqualTo(1));
    }

    [Test]
    public async Task Build_PluginWithoutWrapContract_IsCreatedAndSkipped()
    {
        var trace = new List<string>();
        var created = 0;
        var catalog = new PluginCatalog()
            .Add("Wraps", _ => new TracingPlugin("Wraps", trace))
            .Add("Passive", _ =>
            {
                created++;
                return new PassivePlugin();
            });

        using var pipeline = PluginPipeline.Build(new RecordingApp().Invoke, ["Passive", "Wraps"], catalog, Context());
        await pipeline.App(OwinEnvironment.Create("GET", "/"));

        Assert.That(created, Is.EqualTo(1));
        Assert.That(trace, Is.EqualTo(new[] { "Wraps" }));
    }

    [Test]
    public void Build_UnknownPluginName_ThrowsNamingIt()
    {
        var catalog = new PluginCatalog().Add("HealthEndpoint", _ => new PassivePlugin());

        var exception = Assert.Throws<HealthEndpointConfigurationException>(
            () => PluginPipeline.Build(new RecordingApp().Invoke, ["HealthEndpoint", "RT::Extension::Nope"], catalog, Context()));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { "Plugins" }));
        Assert.That(exception.Message, Does.Contain("unknown plugin 'RT::Extension::Nope'").And.Contain("Known plugins: HealthEndpoint"));
    }

    [Test]
    public void Build_UnknownName_CreatesNoPluginAtAll()
    {
        var created = 0;
        var catalog = new PluginCatalog().Add("Known", _ =>
        {
            created++;
            return new PassivePlugin();
        });

        Assert.Throws<HealthEndpointConfigurationException>(
            () => PluginPipeline.Build(new RecordingApp().Invoke, ["Known", "Unknown"], catalog, Context()));
        Assert.That(created, Is.Zero);
    }

    [Test]
    public void Build_NameListedTwice_Throws()
    {
        var catalog = new PluginCatalog().Add("A", _ => new PassivePlugin());

        var exception = Assert.Throws<HealthEndpointConfigurationException>(
            () => PluginPipeline.Build(new RecordingApp().Invoke, ["A", "a"], catalog, Context()));

        Assert.That(exception!.Message, Does.Contain("more than once"));
    }

    [Test]
    public void Build_LaterPluginFails_DisposesEarlierOnes()
    {
        var first = new DisposablePlugin();
        var catalog = new PluginCatalog()
            .Add("First", _ => first)
            .Add("Broken", _ => throw new InvalidOperationException("cannot start"));

        Assert.Throws<InvalidOperationException>(() => PluginPipeline.Build(new RecordingApp().Invoke, ["First", "Broken"], catalog, Context()));
        Assert.That(first.Disposed, Is.True);
    }

    [Test]
    public void Dispose_DisposesPluginsThatHoldResources()
    {
        var plugin = new DisposablePlugin();
        var pipeline = PluginPipeline.Build(new RecordingApp().Invoke, ["P"], new PluginCatalog().Add("P", _ => plugin), Context());

        pipeline.Dispose();

        Assert.That(plugin.Disposed, Is.True);
    }

    [Test]
    public void ReadPluginNames_KeyAbsent_IsHealthEndpointAlone()
    {
        Assert.That(PluginPipeline.ReadPluginNames(Configuration()), Is.EqualTo(new[] { "HealthEndpoint" }));
    }

    [Test]
    public void ReadPluginNames_Array_KeepsOrder()
    {
        var configuration = Configuration(("Plugins:0", "ReverseProxy"), ("Plugins:1", "Audit"), ("Plugins:2", "HealthEndpoint"));

        Assert.That(PluginPipeline.ReadPluginNames(configuration), Is.EqualTo(new[] { "ReverseProxy", "Audit", "HealthEndpoint" }));
    }

    [Test]
    public void ReadPluginNames_ArrayOfMoreThanTen_KeepsNumericOrder()
    {
        var pairs = new (string, string?)[12];
        for (var i = 0; i < pairs.Length; i++)
        {
            pairs[i] = ($"Plugins:{i}", $"P{i}");
        }

        Assert.That(PluginPipeline.ReadPluginNames(Configuration(pairs))[10], Is.EqualTo("P10"));
    }

    [TestCase("ReverseProxy;HealthEndpoint", new[] { "ReverseProxy", "HealthEndpoint" })]
    [TestCase(" A , B ", new[] { "A", "B" })]
    [TestCase("", new string[0])]
    public void ReadPluginNames_SingleString_IsSplit(string value, string[] expected)
    {
        Assert.That(PluginPipeline.ReadPluginNames(Configuration(("Plugins", value))), Is.EqualTo(expected));
    }

    [Test]
    public void ReadPluginNames_EmptyEntry_ThrowsNamingIt()
    {
        var exception = Assert.Throws<HealthEndpointConfigurationException>(
            () => PluginPipeline.ReadPluginNames(Configuration(("Plugins:0", "A"), ("Plugins:1", " "))));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { "Plugins:1" }));
    }

    [Test]
    public void ReadPluginNames_GapInArray_ThrowsNamingEntry()
    {
        var exception = Assert.Throws<HealthEndpointConfigurationException>(
            () => PluginPipeline.ReadPluginNames(Configuration(("Plugins:0", "A"), ("Plugins:2", "B"))));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { "Plugins:2" }));
    }

    private static PluginContext Context() => new(Configuration());

    private static IConfiguration Configuration(params (string Key, string? Value)[] pairs)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (key, value) in pairs)
        {
            values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    private sealed class TracingPlugin(string name, List<string> trace) : IWrapPlugin
    {
        public AppFunc Wrap(AppFunc app) => environment =>
        {
            trace.Add(name);
            return app(environment);
        };
    }

    private sealed class PassivePlugin : IPlugin
    {
    }

    private sealed class DisposablePlugin : IPlugin, IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
