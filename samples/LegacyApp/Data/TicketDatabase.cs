using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;

namespace LegacyApp.Data;

/// <summary>The app's own use of its database: a tickets table, created on first use.</summary>
internal sealed class TicketDatabase
{
    private readonly DbProviderFactory _provider;
    private readonly string _connectionString;
    private int _schemaReady;

    public TicketDatabase(DbProviderFactory provider, string connectionString)
    {
        _provider = provider;
        _connectionString = connectionString;
    }

    public async Task<long> CountTicketsAsync(CancellationToken cancellationToken)
    {
        await using var connection = _provider.CreateConnection()!;
        connection.ConnectionString = _connectionString;
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _schemaReady) == 0)
        {
            // Portable SQL: the same statements work on SQLite and PostgreSQL.
            await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS tickets (id INTEGER PRIMARY KEY, subject VARCHAR(200) NOT NULL)", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, "INSERT INTO tickets (id, subject) SELECT 1, 'Welcome to LegacyApp' WHERE NOT EXISTS (SELECT 1 FROM tickets)", cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _schemaReady, 1);
        }

        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM tickets";
        var result = await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return System.Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
