using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Npgsql;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Framework.Tests;

/// <summary>The database check through Npgsql 8's netstandard2.0 build against a real PostgreSQL, on Mono.</summary>
[TestFixture]
[Category(FrameworkServers.Category)]
[NonParallelizable]
public sealed class PostgresOnFrameworkTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(500);

    [Test]
    public async Task DatabaseCheck_RealPostgres_ReportsOk()
    {
        var middleware = Middleware(FrameworkServers.PostgresConnectionString, TimeSpan.FromSeconds(5));

        var (statusCode, body) = await StatusRequest.SendAsync(middleware);

        Assert.That(body, Is.EqualTo("""{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}"""));
        Assert.That(statusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task DatabaseCheck_FiftyConcurrentStatusRequests_NeverHoldMoreThanOneBackend()
    {
        var applicationName = "fx-singleflight-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        var connectionString = new NpgsqlConnectionStringBuilder(FrameworkServers.PostgresConnectionString) { ApplicationName = applicationName }.ConnectionString;
        var middleware = Middleware(connectionString, TimeSpan.FromSeconds(5));

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => StatusRequest.SendAsync(middleware))));
        var backendsAfterChecks = await CountBackendsAsync(applicationName);

        // Control: two connections open at once with the same name do show up as two backends.
        using (var first = new NpgsqlConnection(connectionString))
        using (var second = new NpgsqlConnection(connectionString))
        {
            await first.OpenAsync();
            await second.OpenAsync();
            Assert.That(await CountBackendsAsync(applicationName), Is.EqualTo(2), "control: the count sees concurrent connections");
        }

        Assert.That(answers.Select(answer => answer.StatusCode), Is.All.EqualTo(200));
        Assert.That(backendsAfterChecks, Is.EqualTo(1), "one pooled connection: runs never overlapped");
    }

    [Test]
    public async Task DatabaseCheck_ServerAcceptsButNeverAnswers_FailsAtDeadline()
    {
        using var hung = new SilentListener();
        var middleware = Middleware($"Host=127.0.0.1;Port={hung.Port};Username=postgres;Timeout=30;Pooling=false", Deadline);

        var clock = Stopwatch.StartNew();
        var (statusCode, body) = await StatusRequest.SendAsync(middleware);
        clock.Stop();

        Assert.That(hung.Accepted, Is.EqualTo(1), "control: Npgsql did connect, and then waited for an answer");
        Assert.That(statusCode, Is.EqualTo(503));
        Assert.That(body, Does.Contain("\"database\":\"fail\""));
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(Deadline - TimeSpan.FromMilliseconds(20)), "the deadline ended the wait");
        Assert.That(clock.Elapsed, Is.LessThan(Deadline + TimeSpan.FromMilliseconds(500)), "not Npgsql's own 30 s timeout");
    }

    [Test]
    public async Task DatabaseCheck_NothingListening_ReportsFail()
    {
        var middleware = Middleware($"Host=127.0.0.1;Port={ClosedPort()};Username=postgres;Timeout=2", TimeSpan.FromSeconds(5));

        var (statusCode, body) = await StatusRequest.SendAsync(middleware);

        Assert.That(statusCode, Is.EqualTo(503));
        Assert.That(body, Does.Contain("\"database\":\"fail\""));
    }

    internal static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static HealthEndpointMiddleware Middleware(string connectionString, TimeSpan checkTimeout) =>
        new(new RecordingApp().Invoke, new HealthEndpointOptions
        {
            Database = new DatabaseHealthCheck(NpgsqlFactory.Instance, connectionString).CheckAsync,
            CheckTimeout = checkTimeout,
            StatusCacheDuration = TimeSpan.Zero,
        });

    private static async Task<long> CountBackendsAsync(string applicationName)
    {
        var admin = new NpgsqlConnectionStringBuilder(FrameworkServers.PostgresConnectionString) { Pooling = false, ApplicationName = "fx-admin" };
        using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = @name", connection);
        command.Parameters.AddWithValue("name", applicationName);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
