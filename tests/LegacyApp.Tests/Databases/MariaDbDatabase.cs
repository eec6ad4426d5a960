using System.Collections.Generic;
using System.Data.Common;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;
using MySqlConnector;

namespace LegacyApp.Tests.Databases;

/// <summary>MariaDB (Debian's <c>mariadb-server</c>) with MySqlConnector, LegacyApp's <c>MySqlConnector</c> provider.</summary>
internal sealed class MariaDbDatabase : ServerDatabase
{
    private readonly MariaDbServer _server;

    private MariaDbDatabase(MariaDbServer server)
        : base(server)
    {
        _server = server;
    }

    public override string Engine => "MariaDB";

    public override string Provider => "MySqlConnector";

    public override string ConnectionString => WithRelay(_server.ConnectionString);

    /// <summary>The app's connection string with a wrong password.</summary>
    public string WrongPasswordConnectionString => WithRelay(_server.ConnectionStringWithPassword(WrongPassword));

    public override IReadOnlyList<string> Secrets =>
        [.. base.Secrets, _server.Password, WrongPassword, MariaDbServer.AppUser, "MySql", "MariaDB", "Access denied"];

    protected override DbProviderFactory Factory => MySqlConnectorFactory.Instance;

    protected override string UnpooledConnectionString =>
        new MySqlConnectionStringBuilder(ConnectionString) { Pooling = false, ConnectionTimeout = 2 }.ConnectionString;

    private static string WrongPassword => "not-the-Password-5c1f";

    public static async Task<MariaDbDatabase> StartAsync() => new(await MariaDbServer.StartAsync());

    /// <summary>Turns the server's <c>read_only</c> on or off, as on a replica.</summary>
    public Task SetReadOnlyAsync(bool readOnly) => _server.SetReadOnlyAsync(readOnly);

    /// <summary>Whether the app user can write (create a table); false when the server refuses as read-only (1290).</summary>
    public async Task<bool> AppUserCanWriteAsync()
    {
        await using var connection = new MySqlConnection(UnpooledConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand("CREATE TABLE IF NOT EXISTS write_probe (id INT)", connection);
        try
        {
            await command.ExecuteNonQueryAsync();
            return true;
        }
        catch (MySqlException exception) when (exception.ErrorCode == MySqlErrorCode.OptionPreventsStatement)
        {
            return false;
        }
    }

    protected override void ClearPools() => MySqlConnection.ClearAllPools();

    private string WithRelay(string connectionString) =>
        new MySqlConnectionStringBuilder(connectionString) { Port = (uint)Relay.Port }.ConnectionString;
}
