using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>One real PostgreSQL for the blocks' database checks, started once for this assembly.</summary>
[SetUpFixture]
public sealed class ReadmeDatabase
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
