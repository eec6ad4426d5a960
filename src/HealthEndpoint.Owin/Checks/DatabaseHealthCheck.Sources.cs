using System;
using System.Data.Common;

namespace HealthEndpoint.Owin;

// Where the check's connections come from: a provider factory and connection string (every target) or the app's
// DbDataSource, which .NET 7 added to System.Data.Common; netstandard2.0 has no such type.
public sealed partial class DatabaseHealthCheck
{
    /// <summary>Creates the check from the app's ADO.NET provider and connection string.</summary>
    /// <param name="provider">The provider, for example <c>NpgsqlFactory.Instance</c> or <c>SqliteFactory.Instance</c>.</param>
    /// <param name="connectionString">The app's connection string.</param>
    /// <param name="commandText">The command whose first value must be truthy; <see langword="null"/> = <c>SELECT 1</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="commandText"/> is empty or white space.</exception>
    public DatabaseHealthCheck(DbProviderFactory provider, string connectionString, string? commandText = null)
        : this(ConnectionFactory(provider, connectionString), commandText)
    {
    }

#if NET
    /// <summary>Creates the check from the app's data source, for example its <c>NpgsqlDataSource</c>.</summary>
    /// <param name="dataSource">The app's data source; its pool is shared with the app and never disposed by the check.</param>
    /// <param name="commandText">
    /// The command whose first value must be truthy; <see langword="null"/> = <c>SELECT 1</c>. Use
    /// <c>SELECT NOT pg_is_in_recovery()</c> to report a read-only PostgreSQL standby as <c>fail</c>.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="commandText"/> is empty or white space.</exception>
    public DatabaseHealthCheck(DbDataSource dataSource, string? commandText = null)
        : this((dataSource ?? throw new ArgumentNullException(nameof(dataSource))).CreateConnection, commandText)
    {
    }
#endif

    private static Func<DbConnection> ConnectionFactory(DbProviderFactory provider, string connectionString)
    {
        if (provider is null)
        {
            throw new ArgumentNullException(nameof(provider));
        }

        if (connectionString is null)
        {
            throw new ArgumentNullException(nameof(connectionString));
        }

        return () =>
        {
            var connection = provider.CreateConnection()
                ?? throw new InvalidOperationException($"{provider.GetType().Name} created no connection.");
            connection.ConnectionString = connectionString;
            return connection;
        };
    }
}
