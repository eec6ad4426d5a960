using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;

namespace LegacyApp.Data;

/// <summary>The app's own use of its database: a tickets table, created on first use.</summary>
internal sealed class TicketDatabase
{
    private readonly DbProviderFactory _provider;
    private readonly string _connectionString;
    private readonly object _gate = new();
    private Task? _schema;

    public TicketDatabase(DbProviderFactory provider, string connectionString)
    {
        _provider = provider;
        _connectionString = connectionString;
    }

    public async Task<long> CountTicketsAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM tickets";
        var result = await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return System.Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture);
    }

    // One creation shared by every request, retried after a failure: PostgreSQL's CREATE TABLE IF NOT EXISTS is
    // not safe against itself (concurrent first requests failed with 23505 on pg_type and 42710).
    private Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_schema is null || _schema.IsFaulted || _schema.IsCanceled)
            {
                _schema = CreateSchemaAsync(cancellationToken);
            }

            return _schema;
        }
    }

    private async Task CreateSchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);

        // Portable SQL: the same statements work on SQLite and PostgreSQL.
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS tickets (id INTEGER PRIMARY KEY, subject VARCHAR(200) NOT NULL)", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "INSERT INTO tickets (id, subject) SELECT 1, 'Welcome to LegacyApp' WHERE NOT EXISTS (SELECT 1 FROM tickets)", cancellationToken).ConfigureAwait(false);
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = _provider.CreateConnection()!;
        connection.ConnectionString = _connectionString;
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
