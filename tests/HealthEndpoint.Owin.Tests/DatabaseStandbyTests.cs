using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Npgsql;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests;

/// <summary>
/// The false green after a failover, on a real streaming standby: <c>SELECT 1</c> is answered by a read-only
/// standby, <c>SELECT NOT pg_is_in_recovery()</c> is not truthy there and becomes so once the standby is promoted.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class DatabaseStandbyTests
{
    private const string RecoveryCommand = "SELECT NOT pg_is_in_recovery()";
    private static readonly TimeSpan PromotionDeadline = TimeSpan.FromSeconds(30);

    private PostgresServer _primary = null!;

    [OneTimeSetUp]
    public async Task StartPrimaryAsync() => _primary = await PostgresServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopPrimaryAsync() => await _primary.DisposeAsync();

    [Test]
    public async Task CheckAsync_RecoveryCommandOnStandbyThenPromoted_ReportsFailThenOk()
    {
        await using var standby = await _primary.StartStandbyAsync();
        await using var dataSource = NpgsqlDataSource.Create(standby.ConnectionString);
        var log = new RecordingLoggerFactory();
        var recoveryCheck = new DatabaseHealthCheck(dataSource, RecoveryCommand);
        var selectOne = new DatabaseHealthCheck(dataSource);

        Assert.That(await standby.IsInRecoveryAsync(), Is.True, "control: a real standby");
        Assert.That(await DatabaseHealthCheckTests.StatusOfAsync(selectOne), Is.EqualTo("ok"), "control: SELECT 1 is the false green");
        Assert.That(await DatabaseHealthCheckTests.StatusOfAsync(recoveryCheck, log), Is.EqualTo("fail"));
        Assert.That(log.Entries, Has.Some.Matches<LogEntry>(entry => entry.Exception?.Message.Contains("not truthy", StringComparison.Ordinal) == true));

        await standby.PromoteAsync();
        var sincePromotion = Stopwatch.StartNew();

        await Poll.UntilAsync(
            async () => await DatabaseHealthCheckTests.StatusOfAsync(recoveryCheck) == "ok",
            PromotionDeadline,
            "the recovery check to report ok on the promoted standby");
        TestContext.Out.WriteLine($"ok {sincePromotion.ElapsedMilliseconds} ms after pg_ctl promote -w returned");
    }

    [Test]
    public async Task CheckAsync_RecoveryCommandOnPrimary_ReportsOk()
    {
        await using var dataSource = NpgsqlDataSource.Create(_primary.ConnectionString);

        Assert.That(await DatabaseHealthCheckTests.StatusOfAsync(new DatabaseHealthCheck(dataSource, RecoveryCommand)), Is.EqualTo("ok"));
    }

    [Test]
    public async Task CheckAsync_DataSourceAfterPrimaryRestart_RetriesStaleConnectionAndReportsOk()
    {
        var connectionString = _primary.ConnectionString + ";Application Name=standby-restart-test";
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var check = new DatabaseHealthCheck(dataSource, RecoveryCommand);
        Assert.That(await DatabaseHealthCheckTests.StatusOfAsync(check), Is.EqualTo("ok"), "control: a pooled connection now exists");

        await _primary.RestartAsync();

        Assert.That(await DatabaseHealthCheckTests.StatusOfAsync(check), Is.EqualTo("ok"));
    }
}
