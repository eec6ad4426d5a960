using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Katana.Tests;

/// <summary>One real PostgreSQL for the quick start's database check, started once for this assembly.</summary>
[SetUpFixture]
public sealed class KatanaDatabase
{
    private static PostgresServer? _server;

    /// <summary>The running server's connection string.</summary>
    public static string ConnectionString => _server!.ConnectionString;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await PostgresServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
