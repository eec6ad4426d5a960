using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Npgsql;
using HealthEndpoint.Owin.Plugin;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Plugin.Tests;

/// <summary>
/// <c>HealthEndpoint:DatabaseCommand</c> end to end: the plugin built from configuration alone, its status body
/// served over the middleware, against a real streaming standby that is then promoted.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class DatabaseCommandPluginTests
{
    private const string RecoveryCommand = "SELECT NOT pg_is_in_recovery()";
    private static readonly TimeSpan PromotionDeadline = TimeSpan.FromSeconds(30);

    private PostgresServer _primary = null!;
    private PostgresServer _standby = null!;

    [OneTimeSetUp]
    public async Task StartServersAsync()
    {
        _primary = await PostgresServer.StartAsync();
        _standby = await _primary.StartStandbyAsync();
    }

    [OneTimeTearDown]
    public async Task StopServersAsync()
    {
        await _standby.DisposeAsync();
        await _primary.DisposeAsync();
    }

    [Test]
    public async Task Status_DatabaseCommandOnStandbyThenPromoted_Reports503ThenOk()
    {
        var log = new RecordingLoggerFactory();
        var withCommand = Settings(_standby, RecoveryCommand);
        Assert.That(await _standby.IsInRecoveryAsync(), Is.True, "control: a real standby");

        var unset = await ProbeAsync(Settings(_standby, command: null), log);
        Assert.That(unset, Is.EqualTo((200, """{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}""")), "control: SELECT 1 is the false green");

        var onStandby = await ProbeAsync(withCommand, log);
        Assert.That(onStandby, Is.EqualTo((503, """{"checks":{"database":"fail","redis":"skipped"},"status":"fail"}""")));
        var failure = log.Entries.Single(entry => entry.EventId.Name == "HealthCheckFailureDetail").Exception;
        Assert.That(failure!.Message, Does.Contain("not truthy"));

        await _standby.PromoteAsync();

        await Poll.UntilAsync(
            async () => await ProbeAsync(withCommand, log) == (200, """{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}"""),
            PromotionDeadline,
            "the plugin's status to be 200 with database ok on the promoted standby");
    }

    private static IConfiguration Settings(PostgresServer server, string? command)
    {
        var values = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Npgsql",
            ["Database:ConnectionString"] = server.ConnectionString,
            ["HealthEndpoint:StatusCacheDuration"] = "00:00:00",
        };
        if (command is not null)
        {
            values["HealthEndpoint:DatabaseCommand"] = command;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    private static async Task<(int Status, string Body)> ProbeAsync(IConfiguration configuration, RecordingLoggerFactory log)
    {
        var context = new PluginContext(configuration, log);
        context.DatabaseProviders["Npgsql"] = NpgsqlFactory.Instance;
        var app = new RecordingApp();
        using var plugin = new ConfiguredHealthEndpoint(context);
        var environment = OwinEnvironment.Create("GET", "/healthz/status");

        await plugin.Wrap(app.Invoke)(environment);

        Assert.That(app.Calls, Is.Zero);
        return (environment.StatusCode(), environment.ResponseBodyText());
    }
}
