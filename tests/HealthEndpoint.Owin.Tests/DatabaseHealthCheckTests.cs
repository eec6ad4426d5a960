using System;
using System.Data.Common;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Owin.HealthEndpoint.Testing;

namespace Owin.HealthEndpoint.Tests;

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
            Logger = log?.CreateLogger("Owin.HealthEndpoint") ?? NullLogger.Instance,
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
