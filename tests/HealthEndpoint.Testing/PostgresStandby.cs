using System;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using Npgsql;

namespace HealthEndpoint.Owin.Testing;

// Streaming replication: a read-only hot standby of a running server, and its promotion (a failover).
public sealed partial class PostgresServer
{
    /// <summary>The login role the standbys stream WAL as; it has REPLICATION and nothing else.</summary>
    public const string ReplicationUser = "healthendpoint_replicator";

    /// <summary>
    /// Creates a streaming hot standby of this running server: <c>pg_basebackup -R -X stream</c> into a new temp
    /// folder as <see cref="ReplicationUser"/> over 127.0.0.1, then starts it on its own free loopback port and
    /// returns once it answers <c>SELECT 1</c> (read-only, in recovery).
    /// </summary>
    /// <remarks>
    /// initdb's pg_hba.conf already lets every role replicate from 127.0.0.1 (<c>host replication all
    /// 127.0.0.1/32 trust</c>), and PostgreSQL 10+ defaults to <c>wal_level=replica</c> and 10 WAL senders, so
    /// the primary needs no restart. <c>-R</c> writes <c>standby.signal</c> and <c>primary_conninfo</c>. Dispose the
    /// standby like any server; it never touches the primary's folder.
    /// </remarks>
    /// <exception cref="InvalidOperationException">This server is not running, or pg_basebackup or pg_ctl failed.</exception>
    public async Task<PostgresServer> StartStandbyAsync()
    {
        if (!IsRunning)
        {
            throw new InvalidOperationException("A standby needs a running primary.");
        }

        await EnsureReplicationUserAsync();
        var rootDirectory = Directory.CreateTempSubdirectory("healthendpoint-pg-standby-").FullName;
        try
        {
            await CommandLine.GiveToPostgresUserAsync(rootDirectory);
            (await CommandLine.RunAsPostgresUserAsync(
                ServerBinaries.PgBaseBackup,
                [
                    "-D", Path.Combine(rootDirectory, "data"), "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture),
                    "-U", ReplicationUser, "-R", "-X", "stream", "--checkpoint=fast", "--no-sync",
                ],
                CommandTimeout)).EnsureSuccess();
        }
        catch
        {
            ServerFiles.DeleteDirectory(rootDirectory);
            throw;
        }

        return await StartClusterAsync(rootDirectory);
    }

    /// <summary>Whether the server is a standby in recovery (<c>pg_is_in_recovery()</c>).</summary>
    public async Task<bool> IsInRecoveryAsync()
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Promotes this standby to a primary with <c>pg_ctl promote -w</c>, which returns once recovery has ended
    /// and the server accepts writes.
    /// </summary>
    /// <exception cref="InvalidOperationException">pg_ctl failed, e.g. because this server is not a standby.</exception>
    public async Task PromoteAsync() => (await RunPgCtlAsync("promote")).EnsureSuccess();

    private async Task EnsureReplicationUserAsync()
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();

        // Idempotent, so a test may take several standbys of one primary.
        await using var command = new NpgsqlCommand(
            $"""
            DO $$ BEGIN
              CREATE ROLE {ReplicationUser} WITH LOGIN REPLICATION;
            EXCEPTION WHEN duplicate_object THEN NULL;
            END $$
            """,
            connection);
        await command.ExecuteNonQueryAsync();
    }
}
