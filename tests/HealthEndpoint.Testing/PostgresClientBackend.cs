using System.Collections.Generic;
using System.Threading.Tasks;
using Npgsql;

namespace HealthEndpoint.Owin.Testing;

/// <summary>One client connection as <c>pg_stat_activity</c> reports it.</summary>
/// <param name="Pid">The backend process id.</param>
/// <param name="ApplicationName">The client's <c>application_name</c> (empty when unset).</param>
/// <param name="State">For example <c>idle</c> or <c>active</c>.</param>
/// <param name="Query">The last (or current) statement.</param>
public sealed record PostgresClientBackend(int Pid, string ApplicationName, string State, string Query)
{
    /// <summary>Every client backend but the one this query runs on, ordered by PID.</summary>
    internal static async Task<IReadOnlyList<PostgresClientBackend>> ListAsync(string adminConnectionString)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT pid, coalesce(application_name, ''), coalesce(state, ''), coalesce(query, '') " +
            "FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() ORDER BY pid",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        var backends = new List<PostgresClientBackend>();
        while (await reader.ReadAsync())
        {
            backends.Add(new PostgresClientBackend(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return backends;
    }
}
