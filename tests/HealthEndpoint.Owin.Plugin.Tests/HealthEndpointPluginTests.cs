using System;
using System.Collections.Generic;
using System.ComponentModel.Design;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Npgsql;
using HealthEndpoint.Owin.Plugin;
using HealthEndpoint.Owin.Testing;
using StackExchange.Redis;

namespace HealthEndpoint.Owin.Plugin.Tests;

/// <summary>
/// The plugin built from configuration alone, against a real PostgreSQL and a real Redis: the database provider
/// and connection string, the Redis session settings and <c>HealthEndpoint:CheckRedis</c> select the checks, the
/// configured paths are answered, and a wrong password fails without leaking.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class HealthEndpointPluginTests
{
    private const string Password = "plugin-PASSWORD-4b7c";

    private PostgresServer _postgres = null!;
    private RedisServer _redis = null!;
    private string _directory = null!;

    [OneTimeSetUp]
    public async Task StartServersAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _redis = await RedisServer.StartAsync(Password);
        _directory = Directory.CreateTempSubdirectory("healthendpoint-plugin-").FullName;
    }

    [OneTimeTearDown]
    public async Task StopServersAsync()
    {
        await _postgres.DisposeAsync();
        await _redis.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Status_NoConfiguration_SkipsBothChecks()
    {
        var (status, body) = await ProbeAsync(Settings());

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body, Is.EqualTo("""{"checks":{"database":"skipped","redis":"skipped"},"status":"ok"}"""));
    }

    [Test]
    public async Task Status_SqliteConnectionString_ChecksDatabase()
    {
        var (status, body) = await ProbeAsync(Settings(("Database:ConnectionString", $"Data Source={Path.Combine(_directory, "rt.db")}")));

        Assert.That(status, Is.EqualTo(200));
        Assert.That(body, Is.EqualTo("""{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}"""));
    }

    [Test]
    public async Task Status_NpgsqlAndRedisSessions_ChecksBoth()
    {
        var settings = Settings(
            ("Database:Provider", "Npgsql"),
            ("Database:ConnectionString", _postgres.ConnectionString),
            ("WebSession:Class", "Redis"),
            ("WebSession:Redis", _redis.Configuration));

        var (status, body) = await ProbeAsync(settings);

        Assert.That(body, Is.EqualTo("""{"checks":{"database":"ok","redis":"ok"},"status":"ok"}"""));
        Assert.That(status, Is.EqualTo(200));
    }

    [Test]
    public async Task Status_PostgresStopped_Reports503WithDatabaseFail()
    {
        var settings = Settings(("Database:Provider", "npgsql"), ("Database:ConnectionString", _postgres.ConnectionString));
        await _postgres.StopAsync();
        try
        {
            var (status, body) = await ProbeAsync(settings);

            Assert.That(status, Is.EqualTo(503));
            Assert.That(body, Is.EqualTo("""{"checks":{"database":"fail","redis":"skipped"},"status":"fail"}"""));
            Assert.That(body, Does.Not.Contain("127.0.0.1").And.Not.Contain("postgres"));
        }
        finally
        {
            await _postgres.StartAgainAsync();
        }
    }

    [TestCase(null, "Memory", "skipped")]
    [TestCase(null, "Redis", "ok")]
    [TestCase("false", "Redis", "skipped")]
    [TestCase("0", "Redis", "skipped")]
    [TestCase("true", "Memory", "ok")]
    [TestCase("1", "Memory", "ok")]
    [TestCase("TRUE", null, "ok")]
    public async Task Status_CheckRedisAgainstSessionClass_RunsRedisOnlyWhenItShould(string? checkRedis, string? sessionClass, string redis)
    {
        var settings = Settings(("HealthEndpoint:CheckRedis", checkRedis), ("WebSession:Class", sessionClass), ("WebSession:Redis", _redis.Configuration));

        var (_, body) = await ProbeAsync(settings);

        Assert.That(body, Is.EqualTo($$"""{"checks":{"database":"skipped","redis":"{{redis}}"},"status":"ok"}"""));
    }

    [Test]
    public async Task Status_WrongRedisPassword_FailsWithoutLeakingPassword()
    {
        var wrong = $"127.0.0.1:{_redis.Port},password=not-the-{Password},abortConnect=false,connectTimeout=500";
        var settings = Settings(("WebSession:Class", "Redis"), ("WebSession:Redis", wrong), ("HealthEndpoint:CheckTimeout", "00:00:01"));

        var (status, body) = await ProbeAsync(settings);

        Assert.That(status, Is.EqualTo(503));
        Assert.That(body, Is.EqualTo("""{"checks":{"database":"skipped","redis":"fail"},"status":"fail"}"""));
        Assert.That(body, Does.Not.Contain(Password).And.Not.Contain("password"));
    }

    [Test]
    public async Task Status_AppSharesItsMultiplexer_CheckUsesIt()
    {
        using var shared = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var services = new ServiceContainer();
        services.AddService(typeof(IConnectionMultiplexer), shared);

        // No WebSession:Redis at all: the app's own connection is the Redis setting.
        var (_, body) = await ProbeAsync(Settings(("HealthEndpoint:CheckRedis", "true")), services);

        Assert.That(body, Is.EqualTo("""{"checks":{"database":"skipped","redis":"ok"},"status":"ok"}"""));
        Assert.That(shared.IsConnected, Is.True);
    }

    [Test]
    public async Task Paths_FromConfiguration_AreAnswered()
    {
        var settings = Settings(("HealthEndpoint:PingPath", "/-/liveness"), ("HealthEndpoint:StatusPath", "/-/readiness"));
        var app = new RecordingApp();
        using var plugin = new ConfiguredHealthEndpoint(Context(settings));
        var wrapped = plugin.Wrap(app.Invoke);

        var ping = OwinEnvironment.Create("GET", "/-/liveness");
        var status = OwinEnvironment.Create("HEAD", "/-/READINESS/");
        var old = OwinEnvironment.Create("GET", "/healthz/ping");
        await wrapped(ping);
        await wrapped(status);
        await wrapped(old);

        Assert.That(ping.ResponseBodyText(), Is.EqualTo("pong"));
        Assert.That(status.StatusCode(), Is.EqualTo(200));
        Assert.That(app.Calls, Is.EqualTo(1), "only the old default path reaches the app");
    }

    [Test]
    public async Task Probes_FromConfiguration_AreAnsweredAndFollowTheContextLifecycle()
    {
        var settings = Settings(
            ("HealthEndpoint:LivePath", "/livez"),
            ("HealthEndpoint:ReadyPath", "/readyz"),
            ("HealthEndpoint:StartupPath", "/startupz"),
            ("HealthEndpoint:PerCheckPaths", "true"),
            ("HealthEndpoint:ProbeQueries", "true"),
            ("HealthEndpoint:HealthJson", "true"));
        var app = new RecordingApp();
        HealthEndpointLifecycle? lifecycle = null;
        using var plugin = new ConfiguredHealthEndpoint(Context(settings), options => lifecycle = options.Lifecycle);
        var wrapped = plugin.Wrap(app.Invoke);

        async Task<IDictionary<string, object>> SendAsync(string path, string query = "")
        {
            var environment = OwinEnvironment.Create("GET", path, queryString: query);
            await wrapped(environment);
            return environment;
        }

        var startingUp = await SendAsync("/startupz");
        lifecycle!.MarkStarted();
        var started = await SendAsync("/startupz");
        var live = await SendAsync("/livez");
        var ready = await SendAsync("/readyz", "verbose");
        var perCheck = await SendAsync("/healthz/status/redis");
        lifecycle.BeginDraining();
        var draining = await SendAsync("/readyz");

        Assert.That(startingUp.StatusCode(), Is.EqualTo(503));
        Assert.That(started.StatusCode(), Is.EqualTo(200));
        Assert.That(live.ResponseBodyText(), Is.EqualTo("ok"));
        Assert.That(ready.ResponseBodyText(), Is.EqualTo("[+]database skipped\n[+]redis skipped\nreadyz check passed\n"));
        Assert.That(perCheck.ResponseBodyText(), Is.EqualTo("""{"checks":{"redis":"skipped"},"status":"ok"}"""));
        Assert.That(draining.StatusCode(), Is.EqualTo(503));
        Assert.That(app.Calls, Is.Zero);
    }

    [Test]
    public async Task Pipeline_HealthEndpointListedLast_AnswersBeforeOtherPlugins()
    {
        var outerCalls = 0;
        var catalog = HealthEndpointPlugin.Register(new PluginCatalog())
            .Add("Counter", _ => new CountingPlugin(() => outerCalls++));
        var app = new RecordingApp();
        var settings = Settings(("Plugins:0", "Counter"), ("Plugins:1", "HealthEndpoint"));

        using var pipeline = PluginPipeline.Build(app.Invoke, catalog, Context(settings));
        await pipeline.App(OwinEnvironment.Create("GET", "/healthz/ping"));
        await pipeline.App(OwinEnvironment.Create("GET", "/"));

        Assert.That(outerCalls, Is.EqualTo(1), "the probe never reached the plugin listed before HealthEndpoint");
        Assert.That(app.Calls, Is.EqualTo(1));
    }

    private static IConfiguration Settings(params (string Key, string? Value)[] pairs)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (key, value) in pairs)
        {
            if (value is not null)
            {
                values[key] = value;
            }
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    private static PluginContext Context(IConfiguration configuration, IServiceProvider? services = null)
    {
        var context = new PluginContext(configuration, services: services);
        context.DatabaseProviders["Sqlite"] = SqliteFactory.Instance;
        context.DatabaseProviders["Npgsql"] = NpgsqlFactory.Instance;
        return context;
    }

    private static async Task<(int Status, string Body)> ProbeAsync(IConfiguration configuration, IServiceProvider? services = null)
    {
        var app = new RecordingApp();
        using var plugin = new ConfiguredHealthEndpoint(Context(configuration, services));
        var environment = OwinEnvironment.Create("GET", "/healthz/status");

        await plugin.Wrap(app.Invoke)(environment);

        Assert.That(app.Calls, Is.Zero);
        return (environment.StatusCode(), environment.ResponseBodyText());
    }

    private sealed class CountingPlugin(Action count) : IWrapPlugin
    {
        public Func<IDictionary<string, object>, Task> Wrap(Func<IDictionary<string, object>, Task> app) => environment =>
        {
            count();
            return app(environment);
        };
    }
}
