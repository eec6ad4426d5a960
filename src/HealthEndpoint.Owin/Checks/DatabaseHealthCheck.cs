using System;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;

namespace Owin.HealthEndpoint;

/// <summary>
/// The <c>database</c> check: opens a connection from any ADO.NET provider and runs <c>SELECT 1</c>.
/// </summary>
/// <remarks>
/// Connections come from the provider's own pool, so a healthy probe costs one round trip. Use
/// <see cref="CheckAsync"/> as <see cref="HealthEndpointOptions.Database"/>.
/// </remarks>
public sealed class DatabaseHealthCheck
{
    private readonly Func<DbConnection> _connectionFactory;

    /// <summary>Creates the check from a factory that returns a new, unopened connection each time.</summary>
    /// <param name="connectionFactory">For example <c>() => new NpgsqlConnection(connectionString)</c>.</param>
    public DatabaseHealthCheck(Func<DbConnection> connectionFactory)
    {
        _connectionFactory = connectionFactory ?? throw new ArgumentNullException(nameof(connectionFactory));
    }

    /// <summary>Creates the check from the app's ADO.NET provider and connection string.</summary>
    /// <param name="provider">The provider, for example <c>NpgsqlFactory.Instance</c> or <c>SqliteFactory.Instance</c>.</param>
    /// <param name="connectionString">The app's connection string.</param>
    public DatabaseHealthCheck(DbProviderFactory provider, string connectionString)
    {
        if (provider is null)
        {
            throw new ArgumentNullException(nameof(provider));
        }

        if (connectionString is null)
        {
            throw new ArgumentNullException(nameof(connectionString));
        }

        _connectionFactory = () =>
        {
            var connection = provider.CreateConnection()
                ?? throw new InvalidOperationException($"{provider.GetType().Name} created no connection.");
            connection.ConnectionString = connectionString;
            return connection;
        };
    }

    /// <summary>Completes when the database has answered <c>SELECT 1</c>; throws when it has not.</summary>
    /// <param name="cancellationToken">Cancelled at the check deadline.</param>
    /// <returns>The round trip.</returns>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RoundTripAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // After a database restart the pool still holds connections to the old server, and the first use
            // of one fails (measured with Npgsql: 57P01, "terminating connection due to administrator
            // command"). The failed connection is discarded, so one immediate retry tells a restart from an outage.
            await RoundTripAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RoundTripAsync(CancellationToken cancellationToken)
    {
        using var connection = _connectionFactory()
            ?? throw new InvalidOperationException("The connection factory returned null.");
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1";
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
