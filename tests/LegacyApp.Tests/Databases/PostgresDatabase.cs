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
        : base(server)
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

    public static async Task<PostgresDatabase> StartAsync() => new(await PostgresServer.StartAsync());

    protected override void ClearPools() => NpgsqlConnection.ClearAllPools();
}
