using System;
using System.Threading.Tasks;
using NUnit.Framework;

namespace HealthEndpoint.Owin.Testing;

/// <summary>
/// One real PostgreSQL for a whole test assembly: derive a <c>[SetUpFixture]</c> from it in the assembly's root
/// namespace, and its tests read <see cref="ConnectionString"/>.
/// </summary>
/// <remarks>
/// NUnit runs the inherited one-time setup and teardown of a setup fixture; the fixture itself must be in the test
/// assembly, since NUnit looks for setup fixtures only there. One server per test process: a second derived fixture
/// in the same assembly would start another and replace it.
/// </remarks>
public abstract class AssemblyPostgres
{
    private static PostgresServer? _server;

    /// <summary>The running server's connection string.</summary>
    /// <exception cref="InvalidOperationException">The deriving setup fixture has not started the server.</exception>
    public static string ConnectionString =>
        _server?.ConnectionString ?? throw new InvalidOperationException("No PostgreSQL started: the assembly needs a [SetUpFixture] derived from AssemblyPostgres.");

    [OneTimeSetUp]
    public async Task StartPostgresAsync() => _server = await PostgresServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopPostgresAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }
}
