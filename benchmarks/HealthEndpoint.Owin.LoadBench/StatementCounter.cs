using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.LoadBench;

/// <summary>
/// Counts the statements PostgreSQL ran, exactly and at once, from <c>pg_stat_statements</c>: in autocommit every
/// statement is one transaction, so the difference around a round is the transactions the round caused.
/// </summary>
/// <remarks>
/// <c>pg_stat_database.xact_commit</c> is published by each backend only from time to time (PostgreSQL 15 flushes
/// it when a backend goes idle or exits), which for a server in another process cannot be forced; the extension
/// counts in shared memory as each statement ends. It needs <c>shared_preload_libraries</c>, hence one restart.
/// The counter's own statements name the view and are left out; its connection stays open, so that it sends no
/// pool reset.
/// </remarks>
internal sealed class StatementCounter : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;

    private StatementCounter(NpgsqlConnection connection) => _connection = connection;

    /// <summary>Loads the extension into <paramref name="server"/> (one restart) and opens the counter's connection.</summary>
    public static async Task<StatementCounter> StartAsync(PostgresServer server, CancellationToken cancellationToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString)
        {
            Pooling = false,
            ApplicationName = "loadbench-statements",
        }.ConnectionString;
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'", setup);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await server.RestartAsync();
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            return new StatementCounter(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Statements run so far by everyone but this counter.</summary>
    public async Task<long> ReadAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'", _connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
