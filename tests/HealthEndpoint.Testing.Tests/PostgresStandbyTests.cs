using System;
using System.Threading.Tasks;
using Npgsql;

namespace HealthEndpoint.Owin.Testing.Tests;

/// <summary>
/// Proves that <see cref="PostgresServer.StartStandbyAsync"/> makes a real streaming standby: it replays what the
/// primary writes, refuses writes itself, and takes them once <see cref="PostgresServer.PromoteAsync"/> has run.
/// </summary>
[NonParallelizable]
public sealed class PostgresStandbyTests
{
    private static readonly TimeSpan ReplicationDeadline = TimeSpan.FromSeconds(30);

    [Test]
    public async Task StartStandbyAsync_RowWrittenOnPrimary_StreamsToReadOnlyStandbyThatPromotionMakesWritable()
    {
        await using var primary = await PostgresServer.StartAsync();
        await ExecuteAsync(primary.ConnectionString, "CREATE TABLE marks (id int); INSERT INTO marks VALUES (1)");
        await using var standby = await primary.StartStandbyAsync();

        Assert.That(standby.Port, Is.Not.EqualTo(primary.Port));
        Assert.That(await primary.IsInRecoveryAsync(), Is.False, "control: the primary is not in recovery");
        Assert.That(await standby.IsInRecoveryAsync(), Is.True);

        // Written after the base backup, so only streaming can bring it to the standby.
        await ExecuteAsync(primary.ConnectionString, "INSERT INTO marks VALUES (2)");
        await Poll.UntilAsync(
            async () => await CountAsync(standby.ConnectionString) == 2, ReplicationDeadline, "the standby to replay row 2");
        Assert.That(await SenderStateAsync(primary.ConnectionString), Is.EqualTo("streaming"));

        var readOnly = Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(standby.ConnectionString, "INSERT INTO marks VALUES (3)"));
        Assert.That(readOnly!.SqlState, Is.EqualTo(PostgresErrorCodes.ReadOnlySqlTransaction));

        await standby.PromoteAsync();

        Assert.That(await standby.IsInRecoveryAsync(), Is.False);
        await ExecuteAsync(standby.ConnectionString, "INSERT INTO marks VALUES (3)");
        Assert.That(await CountAsync(standby.ConnectionString), Is.EqualTo(3));
        Assert.That(await CountAsync(primary.ConnectionString), Is.EqualTo(2), "the promoted standby no longer follows");
    }

    [Test]
    public async Task PromoteAsync_OnPrimary_Throws()
    {
        await using var primary = await PostgresServer.StartAsync();

        Assert.ThrowsAsync<InvalidOperationException>(primary.PromoteAsync);
        Assert.That(await primary.IsInRecoveryAsync(), Is.False);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM marks", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string?> SenderStateAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT state FROM pg_stat_replication WHERE usename = '{PostgresServer.ReplicationUser}'", connection);
        return (string?)await command.ExecuteScalarAsync();
    }
}
