using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;
using Npgsql;

namespace HealthEndpoint.AspNetCore.Tests.Runner;

/// <summary>One real PostgreSQL for the runner's tests, started once and stopped by its PID.</summary>
[SetUpFixture]
public sealed class RunnerServers
{
    public static PostgresServer Postgres { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => Postgres = await PostgresServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        Postgres.Thaw();
        NpgsqlConnection.ClearAllPools();
        await Postgres.DisposeAsync();
    }
}
