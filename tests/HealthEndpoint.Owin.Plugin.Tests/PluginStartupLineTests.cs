using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Plugin.Tests;

/// <summary>The plugin's startup line names the paths and checks it really built (LegacyApp.Tests runs it end to end).</summary>
[TestFixture]
public sealed class PluginStartupLineTests
{
    [Test]
    public void Create_OptInPathsProviderAndCustomCheck_LineNamesEachOfThem()
    {
        var log = new RecordingLoggerFactory();
        var context = Context(log, ("HealthEndpoint:LivePath", "/livez"), ("HealthEndpoint:PerCheckPaths", "true"), ("Database:Provider", "Sqlite"));

        using var plugin = new ConfiguredHealthEndpoint(context, options => options.Checks.Add(new NamedHealthCheck("queue", _ => Task.CompletedTask)));

        Assert.That(
            log.Entries.Single(entry => entry.EventId.Name == "HealthEndpointConfigured").Message,
            Is.EqualTo("Health endpoint paths: ping /healthz/ping, status /healthz/status, live /livez, per check /healthz/status/<check>; checks: database (Sqlite), queue."));
    }

    [Test]
    public void Create_AppReplacesTheDatabaseCheck_LineDoesNotClaimTheConfiguredProvider()
    {
        var log = new RecordingLoggerFactory();

        using var plugin = new ConfiguredHealthEndpoint(Context(log, ("Database:Provider", "Sqlite")), options => options.Database = _ => Task.CompletedTask);

        Assert.That(log.Entries.Single().Message, Does.EndWith("; checks: database."));
    }

    [Test]
    public void Create_NothingConfigured_LineSaysNoChecks()
    {
        var log = new RecordingLoggerFactory();

        using var plugin = new ConfiguredHealthEndpoint(Context(log, ("HealthEndpoint:PingPath", "/ping")));

        Assert.That(log.Entries.Single().Message, Is.EqualTo("Health endpoint paths: ping /ping, status /healthz/status; checks: none."));
    }

    private static PluginContext Context(RecordingLoggerFactory log, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["Database:ConnectionString"] = "Data Source=:memory:" };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        if (!settings.Any(setting => setting.Key == "Database:Provider"))
        {
            values.Remove("Database:ConnectionString");
        }

        var context = new PluginContext(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), log);
        context.DatabaseProviders["Sqlite"] = SqliteFactory.Instance;
        return context;
    }
}
