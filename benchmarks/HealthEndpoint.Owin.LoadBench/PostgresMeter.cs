using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace HealthEndpoint.Owin.LoadBench;

/// <summary>Server-side totals of the benchmark database, as <c>pg_stat_database</c> shows them.</summary>
/// <param name="Transactions">Committed transactions (<c>xact_commit</c>), less the meter's own.</param>
/// <param name="Sessions">Sessions established (<c>sessions</c>), less the meter's own.</param>
internal readonly record struct DatabaseTotals(long Transactions, long Sessions);

/// <summary>
/// Counts the database work a status server causes, from the server side: <c>xact_commit</c> and
/// <c>sessions</c> of <c>pg_stat_database</c>, read before and after a round through a connection of its own.
/// </summary>
/// <remarks>
/// <para>
/// PostgreSQL 15 publishes a backend's counters lazily: an idle backend that flushed less than a second ago
/// keeps them pending, and in a trial here 100 pooled checks stayed invisible for more than 12 s. A backend
/// flushes when it exits, so <see cref="SettleAsync"/> clears this process's pools and polls until their
/// backends are gone and the totals have stopped moving.
/// </para>
/// <para>
/// Every meter read opens a fresh, unpooled connection, which itself adds a fixed number of transactions
/// (connection start-up plus the query) and one session; <see cref="CalibrateAsync"/> measures that number and
/// each read subtracts it for every earlier read. Autovacuum is switched off on this throwaway cluster so that
/// its workers' transactions do not land in the counts.
/// </para>
/// </remarks>
internal sealed class PostgresMeter
{
    private const string MeterApplicationName = "loadbench-meter";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(15);
    private readonly string _connectionString;
    private long _reads;

    public PostgresMeter(string serverConnectionString)
    {
        _connectionString = new NpgsqlConnectionStringBuilder(serverConnectionString)
        {
            Pooling = false,
            ApplicationName = MeterApplicationName,
            Timeout = 5,
            CommandTimeout = 5,
        }.ConnectionString;
    }

    /// <summary>Transactions one meter read adds (start-up plus its query); known after <see cref="CalibrateAsync"/>.</summary>
    public long TransactionsPerRead { get; private set; }

    /// <summary>Transactions a new session costs before its first query (start-up), measured by <see cref="CalibrateAsync"/>.</summary>
    public long TransactionsPerSessionStart { get; private set; }

    /// <summary>Transactions one database check costs on a pooled, already open connection.</summary>
    /// <remarks>Npgsql resets a pooled connection with <c>DISCARD ALL</c> sent together with the next command: two transactions, one round trip.</remarks>
    public double TransactionsPerCheck { get; private set; }

    /// <summary>Turns autovacuum off, then measures the meter's own cost, a session's start-up and one pooled check.</summary>
    public async Task CalibrateAsync(string calibrationConnectionString, CancellationToken cancellationToken)
    {
        await ExecuteAsync("ALTER SYSTEM SET autovacuum = off", cancellationToken);
        await ExecuteAsync("SELECT pg_reload_conf()", cancellationToken);

        for (var attempt = 1; TransactionsPerRead == 0; attempt++)
        {
            var first = await ReadRawAsync(cancellationToken);
            await Task.Delay(PollInterval, cancellationToken);
            var second = await ReadRawAsync(cancellationToken);
            await Task.Delay(PollInterval, cancellationToken);
            var third = await ReadRawAsync(cancellationToken);
            if (third.Transactions - second.Transactions == second.Transactions - first.Transactions && third.Transactions > second.Transactions)
            {
                TransactionsPerRead = third.Transactions - second.Transactions;
            }
            else if (attempt == 5)
            {
                throw new InvalidOperationException("pg_stat_database did not settle; the round-trip counts would be noise.");
            }
        }

        // The first session of a pool also loads Npgsql's type catalogue (one query per data source, kept across
        // ClearPool), so the start-up cost is taken from a second session.
        DatabaseTotals beforeOpen = default, afterOpen = default;
        for (var session = 1; session <= 2; session++)
        {
            beforeOpen = await SettleAsync(cancellationToken);
            await using (var connection = new NpgsqlConnection(calibrationConnectionString))
            {
                await connection.OpenAsync(cancellationToken);
            }

            afterOpen = await SettleAsync(cancellationToken);
        }

        TransactionsPerSessionStart = afterOpen.Transactions - beforeOpen.Transactions;

        const int Checks = 200;
        var check = new DatabaseHealthCheck(NpgsqlFactory.Instance, calibrationConnectionString);
        for (var i = 0; i <= Checks; i++)
        {
            await check.CheckAsync(cancellationToken);
        }

        // One session: its start-up, a first check that needs no reset, then Checks checks with one.
        var afterChecks = await SettleAsync(cancellationToken);
        var sessions = afterChecks.Sessions - afterOpen.Sessions;
        TransactionsPerCheck = (afterChecks.Transactions - afterOpen.Transactions - sessions * (TransactionsPerSessionStart + 1)) / (double)Checks;
    }

    /// <summary>
    /// Closes every idle pooled connection of this process (their backends flush their counters on exit), waits
    /// until no backend of this bench is left and the totals have stopped moving, and returns the totals.
    /// </summary>
    /// <remarks>
    /// All pools, not only the measured server's: an idle backend of another status server would otherwise flush
    /// its pending counters at some moment of its own choosing, inside the window being measured.
    /// </remarks>
    public async Task<DatabaseTotals> SettleAsync(CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.StartNew();
        var history = new List<(int Backends, DatabaseTotals Totals)>();
        while (true)
        {
            // Again on every poll: a check still in flight when wrk stopped returns its connection after the
            // clear, and Npgsql 10 then keeps it idle in the pool (seen here: one backend left for 15 s).
            NpgsqlConnection.ClearAllPools();
            var current = await ReadAsync(cancellationToken);
            if (current.Backends == 0 && history.Count > 0 && history[^1] == current)
            {
                return current.Totals;
            }

            history.Add(current);
            if (elapsed.Elapsed > SettleTimeout)
            {
                var recent = string.Join("; ", history.TakeLast(3).Select(read => $"{read.Backends} backends, {read.Totals}"));
                throw new TimeoutException(
                    $"Bench backends did not exit, or pg_stat_database kept moving, for {SettleTimeout.TotalSeconds:0} s " +
                    $"(last reads: {recent}; backends left: {await DescribeBackendsAsync(cancellationToken)}).");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>
    /// The database check round trips between two settled readings. Every session the pool opened cost its
    /// start-up and ran a first check without a reset (one transaction); the other checks cost
    /// <see cref="TransactionsPerCheck"/> each.
    /// </summary>
    public double CheckRoundTrips(DatabaseTotals before, DatabaseTotals after)
    {
        var sessions = after.Sessions - before.Sessions;
        var resetChecks = after.Transactions - before.Transactions - sessions * (TransactionsPerSessionStart + 1);
        return sessions + (TransactionsPerCheck <= 0 ? resetChecks : resetChecks / TransactionsPerCheck);
    }

    private async Task<(int Backends, DatabaseTotals Totals)> ReadAsync(CancellationToken cancellationToken)
    {
        var earlierReads = _reads;
        var (backends, raw) = await QueryAsync(cancellationToken);
        return (backends, new DatabaseTotals(raw.Transactions - earlierReads * TransactionsPerRead, raw.Sessions - earlierReads));
    }

    private async Task<DatabaseTotals> ReadRawAsync(CancellationToken cancellationToken) => (await QueryAsync(cancellationToken)).Totals;

    // Counts every client backend of this bench's pools (application names loadbench-*) except the meter's own.
    private async Task<(int Backends, DatabaseTotals Totals)> QueryAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend' " +
            "AND application_name LIKE 'loadbench-%' AND application_name <> @meter), " +
            "xact_commit, sessions FROM pg_stat_database WHERE datname = current_database()",
            connection);
        command.Parameters.AddWithValue("meter", MeterApplicationName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var result = (reader.GetInt32(0), new DatabaseTotals(reader.GetInt64(1), reader.GetInt64(2)));
        _reads++;
        return result;
    }

    private async Task<string> DescribeBackendsAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT string_agg(format('%s %s since %s: %s', application_name, state, state_change, query), ' | ') FROM pg_stat_activity " +
            "WHERE backend_type = 'client backend' AND application_name LIKE 'loadbench-%' AND application_name <> @meter",
            connection);
        command.Parameters.AddWithValue("meter", MeterApplicationName);
        var description = await command.ExecuteScalarAsync(cancellationToken) as string;
        _reads++;
        return description ?? "none";
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        _reads++;
    }
}
