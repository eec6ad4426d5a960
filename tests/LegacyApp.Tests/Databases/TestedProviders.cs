using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

namespace LegacyApp.Tests.Databases;

/// <summary>One row of docs/checks.md's "Tested providers" table, as the tests run it.</summary>
/// <param name="Engine">The engine, as the fault matrix names it.</param>
/// <param name="Package">The ADO.NET provider's NuGet package.</param>
/// <param name="Version">The package version the tests load, or <see langword="null"/> when none is loaded here.</param>
/// <param name="ReadOnlyCommand">The <c>HealthEndpoint:DatabaseCommand</c> that reports a read-only replica as <c>fail</c>.</param>
/// <param name="ProvenIn">The test file that runs <paramref name="ReadOnlyCommand"/> against a read-only server.</param>
internal sealed record TestedProvider(string Engine, string Package, string? Version, string? ReadOnlyCommand, string? ProvenIn);

/// <summary>The engines and providers the tests run, which docs/checks.md lists (checked by TestedProvidersTableTests).</summary>
internal static class TestedProviders
{
    public static readonly IReadOnlyList<TestedProvider> All =
    [
        new("PostgreSQL", "Npgsql", VersionOf(typeof(NpgsqlFactory)), "SELECT NOT pg_is_in_recovery()", "tests/HealthEndpoint.Owin.Tests/DatabaseStandbyTests.cs"),
        new("MariaDB", "MySqlConnector", VersionOf(typeof(MySqlConnectorFactory)), "SELECT @@read_only = 0 AND @@innodb_read_only = 0", "tests/LegacyApp.Tests/DatabaseFaultMatrixTests.CheckConfiguration.cs"),
        // No replicas: a SQLite file is written by whoever opens it.
        new("SQLite", "Microsoft.Data.Sqlite", VersionOf(typeof(SqliteFactory)), null, null),
        // Served by the package source, but no SQL Server is installable here: nothing runs against it.
        new("SQL Server", "Microsoft.Data.SqlClient", null, null, null),
    ];

    public static TestedProvider Named(string engine) => All.Single(provider => provider.Engine == engine);

    /// <summary>The package version of the assembly that defines <paramref name="type"/> ("2.4.0" from "2.4.0+abc").</summary>
    private static string VersionOf(Type type)
    {
        var informational = type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? throw new InvalidOperationException($"{type.Assembly.GetName().Name} has no informational version.");
        return informational.Split('+')[0];
    }
}
