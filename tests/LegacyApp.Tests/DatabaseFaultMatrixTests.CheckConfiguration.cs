using System.Threading.Tasks;
using LegacyApp.Tests.Databases;

namespace LegacyApp.Tests;

/// <summary>
/// The faults that the check's configuration decides, each on the engine that has it: a wrong password (the app is
/// misconfigured, not the server down), a read-only MariaDB that only its read-only command tells from a primary,
/// and a locked SQLite file that a warm pool hides from <c>SELECT 1</c> but not from a command that reads the file.
/// </summary>
public sealed partial class DatabaseFaultMatrixTests
{
    /// <summary>The command docs/checks.md gives for SQLite: it reads the schema, so it waits for a lock like the app's queries.</summary>
    private const string SqliteReadingCommand = "SELECT count(*) >= 0 FROM sqlite_master";

    [Test]
    public async Task Status_WrongMariaDbPassword_FailsWhileACorrectlyConfiguredAppIsOk()
    {
        // A wrong password does not end without reconfiguring (restarting) the app; the same server answering a
        // correctly configured LegacyApp before and after shows that the fault is the password alone.
        var database = (MariaDbDatabase)await DatabaseAsync("MariaDB");
        await using var correct = await LegacyAppHost.StartAsync(Settings(database.ConnectionString, database));
        var control = await HealthProbes.HealthyStatusAsync(correct);
        Assert.That((control.StatusCode, control.Body), Is.EqualTo((200, OkBody)), "control: the right password works");

        await using var wrong = await LegacyAppHost.StartAsync(Settings(database.WrongPasswordConnectionString, database));
        var during = await FaultObservation.SampleAsync(wrong, FaultWindow);
        var after = await HealthProbes.SendAsync(correct, HealthProbes.StatusPath);

        FaultObservation.Report("MariaDB wrong password", during, onset: [], recovered: null);
        Figures("MariaDB", "wrong password", during, attemptsInFlight: null, recoveries: []);
        FaultObservation.AssertFaultResponses(during, FailBody, ResponseBound);
        Assert.That((after.StatusCode, after.Body), Is.EqualTo((200, OkBody)), "the correctly configured app is still ok");
        HealthProbes.AssertNothingLeaks([control, .. during, after], database.Secrets);
    }

    [Test]
    public async Task Status_ReadOnlyMariaDbWithItsReadOnlyCommand_FailsWhileSelectOneStaysOk()
    {
        // A replica (or a primary demoted after a failover) has read_only on: it still answers SELECT 1, so only
        // the command docs/checks.md gives for MariaDB tells it from the primary.
        var database = (MariaDbDatabase)await DatabaseAsync("MariaDB");
        var readOnlyCommand = TestedProviders.Named("MariaDB").ReadOnlyCommand;
        await using var guarded = await LegacyAppHost.StartAsync(Settings(database.ConnectionString, database, readOnlyCommand));
        await using var selectOne = await LegacyAppHost.StartAsync(Settings(database.ConnectionString, database));
        var before = await HealthProbes.HealthyStatusAsync(guarded);
        Assert.That((before.StatusCode, before.Body), Is.EqualTo((200, OkBody)), "control: the command passes on a writable server");
        Assert.That(await database.AppUserCanWriteAsync(), Is.True, "control: the app user can write");

        ProbeRecord readOnly;
        ProbeRecord falseGreen;
        await database.SetReadOnlyAsync(true);
        try
        {
            Assert.That(await database.AppUserCanWriteAsync(), Is.False, "the server is really read-only for the app");
            readOnly = await HealthProbes.SendAsync(guarded, HealthProbes.StatusPath);
            falseGreen = await HealthProbes.SendAsync(selectOne, HealthProbes.StatusPath);
        }
        finally
        {
            await database.SetReadOnlyAsync(false);
        }

        var after = await HealthProbes.HealthyStatusAsync(guarded);
        TestContext.Out.WriteLine($"read-only MariaDB: '{readOnlyCommand}' {readOnly.StatusCode} {readOnly.Body}; SELECT 1 {falseGreen.StatusCode}; writable again {after.StatusCode}");
        Assert.That((readOnly.StatusCode, readOnly.Body), Is.EqualTo((503, FailBody)));
        Assert.That((falseGreen.StatusCode, falseGreen.Body), Is.EqualTo((200, OkBody)), "control: SELECT 1 is the false green");
        Assert.That((after.StatusCode, after.Body), Is.EqualTo((200, OkBody)));
    }

    [Test]
    public async Task Status_SqliteLockedWithAWarmPool_SelectOneStaysOkWhileACommandThatReadsTheFileFails()
    {
        // A pooled SQLite connection answers SELECT 1 without touching the file, so with a warm pool a locked file
        // looks healthy while the app's own queries wait; a command that reads the schema waits like them.
        var database = await DatabaseAsync("SQLite");
        await using var selectOne = await LegacyAppHost.StartAsync(Settings(database.ConnectionString, database));
        await using var reading = await LegacyAppHost.StartAsync(Settings(database.ConnectionString, database, SqliteReadingCommand));
        Assert.That((await HealthProbes.HealthyStatusAsync(selectOne)).Body, Is.EqualTo(OkBody), "control: SELECT 1 passes");
        Assert.That((await HealthProbes.HealthyStatusAsync(reading)).Body, Is.EqualTo(OkBody), "control: the reading command passes");

        ProbeRecord falseGreen;
        ProbeRecord locked;
        await database.BeginAsync(DatabaseFault.Locked);
        try
        {
            // SELECT 1 first: the reading check keeps the pooled connection while it waits for the lock.
            falseGreen = await HealthProbes.SendAsync(selectOne, HealthProbes.StatusPath);
            locked = await HealthProbes.SendAsync(reading, HealthProbes.StatusPath);
        }
        finally
        {
            await database.RepairAsync();
        }

        var after = await HealthProbes.HealthyStatusAsync(reading);
        TestContext.Out.WriteLine($"SQLite locked, warm pool: SELECT 1 {falseGreen.StatusCode}; '{SqliteReadingCommand}' {locked.StatusCode} in {locked.Latency.TotalMilliseconds:0} ms; unlocked {after.StatusCode}");
        Assert.That((falseGreen.StatusCode, falseGreen.Body), Is.EqualTo((200, OkBody)), "SELECT 1 is the false green");
        Assert.That((locked.StatusCode, locked.Body), Is.EqualTo((503, FailBody)));
        Assert.That(locked.Latency, Is.LessThanOrEqualTo(ResponseBound));
        Assert.That(after.Body, Is.EqualTo(OkBody));
    }
}
