using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Npgsql;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests;

/// <summary>
/// The value rules of the database command, read from what real SQLite and PostgreSQL return: null, DBNull (or no
/// row), false and numeric zero fail; every other value, text included, passes.
/// </summary>
/// <remarks>Each case also asserts the CLR type the provider returned, so the table covers every rule it names.</remarks>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class DatabaseCommandValueTests
{
    private PostgresServer _postgres = null!;
    private NpgsqlDataSource _dataSource = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _dataSource = NpgsqlDataSource.Create(_postgres.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        await _dataSource.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [TestCase("SELECT true", "Boolean", true)]
    [TestCase("SELECT false", "Boolean", false)]
    [TestCase("SELECT NOT pg_is_in_recovery()", "Boolean", true)]
    [TestCase("SELECT NULL::boolean", "DBNull", false)]
    [TestCase("SELECT 1 WHERE false", "null", false)]
    [TestCase("SELECT 0::smallint", "Int16", false)]
    [TestCase("SELECT 0", "Int32", false)]
    [TestCase("SELECT 0::bigint", "Int64", false)]
    [TestCase("SELECT 0.0::numeric", "Decimal", false)]
    [TestCase("SELECT 0::real", "Single", false)]
    [TestCase("SELECT '-0'::float8", "Double", false)]
    [TestCase("SELECT 1", "Int32", true)]
    [TestCase("SELECT -1::bigint", "Int64", true)]
    [TestCase("SELECT 0.001::numeric", "Decimal", true)]
    [TestCase("SELECT 'f'", "String", true)]
    [TestCase("SELECT '0'", "String", true)]
    [TestCase("SELECT ''", "String", true)]
    public async Task CheckAsync_PostgresValue_PassesUnlessNullFalseOrZero(string command, string type, bool passes)
    {
        Assert.That(await ScalarTypeAsync(_dataSource.CreateConnection(), command), Is.EqualTo(type), "control: the value the provider returns");

        await AssertOutcomeAsync(new DatabaseHealthCheck(_dataSource, command), passes);
    }

    [TestCase("SELECT 1", "Int64", true)]
    [TestCase("SELECT 0", "Int64", false)]
    [TestCase("SELECT 1 = 0", "Int64", false)]
    [TestCase("SELECT 0.0", "Double", false)]
    [TestCase("SELECT NULL", "DBNull", false)]
    [TestCase("SELECT 1 WHERE 0", "null", false)]
    [TestCase("SELECT 2.5", "Double", true)]
    [TestCase("SELECT 'f'", "String", true)]
    [TestCase("SELECT '0'", "String", true)]
    [TestCase("SELECT x'00'", "Byte[]", true)]
    public async Task CheckAsync_SqliteValue_PassesUnlessNullFalseOrZero(string command, string type, bool passes)
    {
        const string connectionString = "Data Source=:memory:";
        Assert.That(await ScalarTypeAsync(new SqliteConnection(connectionString), command), Is.EqualTo(type), "control: the value the provider returns");

        await AssertOutcomeAsync(new DatabaseHealthCheck(SqliteFactory.Instance, connectionString, command), passes);
    }

    [Test]
    public async Task CheckAsync_CommandFails_ReportsFail()
    {
        var check = new DatabaseHealthCheck(_dataSource, "SELECT count(*) FROM no_such_table");

        Assert.That(await DatabaseHealthCheckTests.StatusOfAsync(check), Is.EqualTo("fail"));
    }

    [Test]
    public async Task CheckAsync_FalsyValue_LogsNotTruthyButNeitherValueNorCommand()
    {
        var log = new RecordingLoggerFactory();
        var check = new DatabaseHealthCheck(_dataSource, "SELECT 'hunter2-in-the-command' = current_user");

        Assert.That(await DatabaseHealthCheckTests.StatusOfAsync(check, log), Is.EqualTo("fail"));

        var failure = log.Entries.Single(entry => entry.EventId.Name == "HealthCheckFailureDetail").Exception;
        Assert.That(failure!.Message, Does.Contain("not truthy").And.Contain("false"));
        Assert.That(log.Entries.Select(entry => entry.Message + entry.Exception), Has.None.Contain("hunter2"));
    }

    [Test]
    public async Task CheckAsync_FalsyValue_IsNotRetriedLikeAnError()
    {
        var sequence = "retry_count_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE SEQUENCE {sequence}");

        // Control: a command that throws runs twice (the restart retry), so the counter sees a retry.
        Assert.ThrowsAsync<PostgresException>(() => new DatabaseHealthCheck(_dataSource, $"SELECT nextval('{sequence}') / 0").CheckAsync(CancellationToken.None));
        Assert.That(await LastValueAsync(sequence), Is.EqualTo(2));

        Assert.ThrowsAsync<InvalidOperationException>(() => new DatabaseHealthCheck(_dataSource, $"SELECT nextval('{sequence}') < 0").CheckAsync(CancellationToken.None));
        Assert.That(await LastValueAsync(sequence), Is.EqualTo(3));
    }

    [TestCase("")]
    [TestCase("  \t")]
    public void Constructor_BlankCommand_ThrowsNamingCommandText(string command)
    {
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new DatabaseHealthCheck(_dataSource, command))!.ParamName, Is.EqualTo("commandText"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new DatabaseHealthCheck(SqliteFactory.Instance, "Data Source=:memory:", command))!.ParamName, Is.EqualTo("commandText"));
    }

    private static async Task AssertOutcomeAsync(DatabaseHealthCheck check, bool passes)
    {
        if (passes)
        {
            Assert.DoesNotThrowAsync(() => check.CheckAsync(CancellationToken.None));
        }
        else
        {
            var failure = Assert.ThrowsAsync<InvalidOperationException>(() => check.CheckAsync(CancellationToken.None));
            Assert.That(failure!.Message, Does.Contain("not truthy"));
        }

        Assert.That(await DatabaseHealthCheckTests.StatusOfAsync(check), Is.EqualTo(passes ? "ok" : "fail"));
    }

    private static async Task<string> ScalarTypeAsync(System.Data.Common.DbConnection connection, string command)
    {
        await using (connection)
        {
            await connection.OpenAsync();
            await using var scalar = connection.CreateCommand();
            scalar.CommandText = command;
            return (await scalar.ExecuteScalarAsync())?.GetType().Name ?? "null";
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> LastValueAsync(string sequence)
    {
        await using var command = _dataSource.CreateCommand($"SELECT last_value FROM {sequence}");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
