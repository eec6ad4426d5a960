using System;
using System.Collections.Generic;
using System.Data.Common;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests;

/// <summary>The ADO.NET check against real databases: a SQLite file and a throwaway PostgreSQL cluster.</summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class DatabaseHealthCheckTests
{
    private PostgresServer _postgres = null!;
    private string _directory = null!;

    [OneTimeSetUp]
    public async Task StartServersAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _directory = Directory.CreateTempSubdirectory("healthendpoint-sqlite-").FullName;
    }

    [OneTimeTearDown]
    public async Task StopServersAsync()
    {
        await _postgres.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task CheckAsync_SqliteFile_ReportsOk()
    {
        var check = new DatabaseHealthCheck(SqliteFactory.Instance, $"Data Source={Path.Combine(_directory, "app.db")}");

        Assert.That(await StatusOfAsync(check), Is.EqualTo("ok"));
    }

    [Test]
    public async Task CheckAsync_SqliteFileInMissingFolder_ReportsFail()
    {
        var check = new DatabaseHealthCheck(SqliteFactory.Instance, $"Data Source={Path.Combine(_directory, "missing", "app.db")};Mode=ReadWrite");

        Assert.That(await StatusOfAsync(check), Is.EqualTo("fail"));
    }

    [Test]
    public async Task CheckAsync_PostgresRunning_ReportsOk()
    {
        var check = new DatabaseHealthCheck(NpgsqlFactory.Instance, _postgres.ConnectionString);

        Assert.That(await StatusOfAsync(check), Is.EqualTo("ok"));
    }

    [Test]
    public async Task CheckAsync_PostgresStoppedThenStarted_ReportsFailThenOk()
    {
        var check = new DatabaseHealthCheck(NpgsqlFactory.Instance, _postgres.ConnectionString);
        Assert.That(await StatusOfAsync(check), Is.EqualTo("ok"), "control: the server is up");

        await _postgres.StopAsync();
        try
        {
            Assert.That(await StatusOfAsync(check), Is.EqualTo("fail"));
        }
        finally
        {
            await _postgres.StartAgainAsync();
        }

        Assert.That(await StatusOfAsync(check), Is.EqualTo("ok"));
    }

    [Test]
    public async Task CheckAsync_FirstRunAfterRestart_ReportsOkDespiteStalePooledConnection()
    {
        var connectionString = _postgres.ConnectionString + ";Application Name=restart-test";
        var check = new DatabaseHealthCheck(NpgsqlFactory.Instance, connectionString);
        Assert.That(await StatusOfAsync(check), Is.EqualTo("ok"), "control: a pooled connection now exists");

        await _postgres.RestartAsync();

        Assert.That(await StatusOfAsync(check), Is.EqualTo("ok"));
    }

    [Test]
    public async Task CheckAsync_NothingListening_ReportsFail()
    {
        var check = new DatabaseHealthCheck(NpgsqlFactory.Instance, $"Host=127.0.0.1;Port={FreeTcpPort.Next()};Username=postgres;Timeout=2");

        Assert.That(await StatusOfAsync(check), Is.EqualTo("fail"));
    }

    [Test]
    public async Task Metrics_PostgresRunningAndNothingListening_StateAndDurationOfEachRealRun()
    {
        var running = Middleware(new DatabaseHealthCheck(NpgsqlFactory.Instance, _postgres.ConnectionString));
        var refused = Middleware(new DatabaseHealthCheck(NpgsqlFactory.Instance, $"Host=127.0.0.1;Port={FreeTcpPort.Next()};Username=postgres;Timeout=2"));
        using var runningMetrics = new MetricRecorder(running.Metrics.Meter);
        using var refusedMetrics = new MetricRecorder(refused.Metrics.Meter);

        await running.Invoke(OwinEnvironment.Create("GET", "/healthz/status"));
        await refused.Invoke(OwinEnvironment.Create("GET", "/healthz/status"));

        Assert.That(Series(runningMetrics.Observe("healthendpoint.check.state")), Is.EqualTo(new[] { ("database", "", 1.0) }));
        Assert.That(Series(refusedMetrics.Observe("healthendpoint.check.state")), Is.EqualTo(new[] { ("database", "", 0.0) }), "control: a refused database reads 0");
        var ok = Series(runningMetrics.Of("healthendpoint.check.duration")).Single();
        var fail = Series(refusedMetrics.Of("healthendpoint.check.duration")).Single();
        Assert.That((ok.Name, ok.Outcome, fail.Name, fail.Outcome), Is.EqualTo(("database", "ok", "database", "fail")));
        Assert.That(ok.Value, Is.GreaterThan(0).And.LessThan(5), "seconds: a real round trip, well under the deadline");

        static HealthEndpointMiddleware Middleware(DatabaseHealthCheck check) =>
            new(new RecordingApp().Invoke, new HealthEndpointOptions { Database = check.CheckAsync, CheckTimeout = TimeSpan.FromSeconds(5) });

        static (string Name, string Outcome, double Value)[] Series(IEnumerable<RecordedMeasurement> measurements) =>
            measurements.Select(measurement => (
                (string)measurement.Tag(HealthEndpointMetrics.CheckNameTag)!,
                measurement.Tag(HealthEndpointMetrics.CheckOutcomeTag) as string ?? string.Empty,
                measurement.Value)).ToArray();
    }

    [Test]
    public void Constructor_NullArguments_ThrowWithParameterName()
    {
        Assert.That(Assert.Throws<ArgumentNullException>(() => _ = new DatabaseHealthCheck((Func<DbConnection>)null!))!.ParamName, Is.EqualTo("connectionFactory"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => _ = new DatabaseHealthCheck((DbProviderFactory)null!, "x"))!.ParamName, Is.EqualTo("provider"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => _ = new DatabaseHealthCheck((DbDataSource)null!))!.ParamName, Is.EqualTo("dataSource"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => _ = new DatabaseHealthCheck(NpgsqlFactory.Instance, null!))!.ParamName, Is.EqualTo("connectionString"));
    }

    /// <summary>The <c>database</c> entry of a fresh status body (<c>ok</c> or <c>fail</c>), or the whole body.</summary>
    internal static async Task<string> StatusOfAsync(DatabaseHealthCheck check, RecordingLoggerFactory? log = null)
    {
        var options = new HealthEndpointOptions
        {
            Database = check.CheckAsync,
            StatusCacheDuration = TimeSpan.Zero,
            CheckTimeout = TimeSpan.FromSeconds(5),
            Logger = log?.CreateLogger("HealthEndpoint.Owin") ?? NullLogger.Instance,
        };
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
        var environment = OwinEnvironment.Create("GET", "/healthz/status");
        await middleware.Invoke(environment);
        var body = environment.ResponseBodyText();
        return body.Contains("\"database\":\"ok\"", StringComparison.Ordinal) ? "ok"
            : body.Contains("\"database\":\"fail\"", StringComparison.Ordinal) ? "fail"
            : body;
    }
}
