using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Probe.Tests.Live;

/// <summary>
/// For every fixture in this namespace: a throwaway PostgreSQL cluster and LegacyApp (its own process) on it.
/// Tests that stop PostgreSQL start it again before they end.
/// </summary>
[SetUpFixture]
public sealed class LiveEnvironment
{
    public static PostgresServer Postgres { get; private set; } = null!;

    internal static LegacyAppProcess App { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Postgres = await PostgresServer.StartAsync();
        App = await LegacyAppProcess.StartAsync(Postgres.ConnectionString);
        await App.WaitHealthyAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
    }

    /// <summary>Starts PostgreSQL again if a test left it stopped.</summary>
    public static async Task EnsurePostgresRunningAsync()
    {
        if (!Postgres.IsRunning)
        {
            await Postgres.StartAgainAsync();
        }
    }
}
