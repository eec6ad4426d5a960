using System.Collections.Generic;
using System.Data.Common;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;
using Npgsql;

namespace LegacyApp.Tests.Databases;

/// <summary>PostgreSQL (Debian's) with Npgsql, LegacyApp's <c>Npgsql</c> provider.</summary>
internal sealed class PostgresDatabase : ServerDatabase
{
    private readonly PostgresServer _server;

    private PostgresDatabase(PostgresServer server)
        : base(server.Port)
    {
        _server = server;
    }

    public override string Engine => "PostgreSQL";

    public override string Provider => "Npgsql";

    public override string ConnectionString =>
        new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Port = Relay.Port }.ConnectionString;

    public override IReadOnlyList<string> Secrets => [.. base.Secrets, "Npgsql", "postgres"];

    protected override DbProviderFactory Factory => NpgsqlFactory.Instance;

    protected override string UnpooledConnectionString =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, Timeout = 2 }.ConnectionString;

    protected override int ServerPort => _server.Port;

    protected override bool IsRunning => _server.IsRunning;

    public static async Task<PostgresDatabase> StartAsync() => new(await PostgresServer.StartAsync());

    public override Task RestartAsync() => _server.RestartAsync();

    protected override Task StopAsync() => _server.StopAsync();

    protected override Task StartAgainAsync() => _server.StartAgainAsync();

    protected override void Freeze() => _server.Freeze();

    protected override void Thaw() => _server.Thaw();

    protected override void ClearPools() => NpgsqlConnection.ClearAllPools();

    protected override ValueTask DisposeServerAsync() => _server.DisposeAsync();
}
