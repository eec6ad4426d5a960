using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.FrameworkPass.Tests;

/// <summary>
/// The .NET Framework pass: tests/HealthEndpoint.Owin.Framework.Tests (net472, the libraries' netstandard2.0 builds)
/// run under Mono against a real PostgreSQL and a real Redis (password required) started here.
/// </summary>
/// <remarks>
/// build.cake sets <c>HEALTHENDPOINT_FRAMEWORK_RESULTS</c> to a file in artifacts/test-results and adds the Mono test
/// cases of that file to the Test target's "N passed, N failed" line.
/// </remarks>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class MonoFrameworkPassTests
{
    private const string ResultsVariable = "HEALTHENDPOINT_FRAMEWORK_RESULTS";
    private const string RealServers = "RealServers";
    private const string PostgresOk = "DatabaseCheck_RealPostgres_ReportsOk";
    private const string RedisOk = "RedisCheck_OwnConnectionRealRedis_ReportsOkWellInsideDeadline";

    private PostgresServer _postgres = null!;
    private RedisServer _redis = null!;

    [OneTimeSetUp]
    public async Task StartServersAsync()
    {
        var postgres = PostgresServer.StartAsync();
        var redis = RedisServer.StartAsync(password: "fx-" + Guid.NewGuid().ToString("N"));
        _postgres = await postgres;
        _redis = await redis;
    }

    [OneTimeTearDown]
    public async Task StopServersAsync()
    {
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Test]
    public async Task FrameworkPass_UnderMonoWithRealServers_EveryTestPasses()
    {
        var resultFile = Environment.GetEnvironmentVariable(ResultsVariable) is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : Path.Combine(TestContext.CurrentContext.WorkDirectory, "framework-mono.xml");
        Directory.CreateDirectory(Path.GetDirectoryName(resultFile)!);

        var clock = Stopwatch.StartNew();
        var pass = await MonoPass.RunAsync(resultFile, Servers(_postgres.ConnectionString, _redis.Configuration));
        TestContext.Out.WriteLine($"Mono pass: {pass.Cases.Count} tests, {pass.Passed.Count} passed, {pass.Failed.Count} failed in {clock.Elapsed.TotalSeconds:0.0} s ({resultFile}).");

        // The failed cases first, one line each, so that the build's FAILED line names them; the runner's output after.
        Assert.That(pass.Failed, Is.Empty, "tests that failed under Mono: " + string.Join(" || ", pass.Failed) + Environment.NewLine + pass.Output);
        Assert.That(pass.ExitCode, Is.Zero, pass.Output);
        Assert.That(pass.Cases.Count, Is.GreaterThanOrEqualTo(200), "control: the shared middleware and runner tests ran");
        Assert.That(pass.Passed.Count(name => name.Contains("OnFrameworkTests.", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(8), "the real-server tests ran");
        Assert.That(pass.Passed, Has.Some.Contains("KatanaActivationTests."));
    }

    [Test]
    public async Task FrameworkPass_ServersUnreachable_RealServerTestsFail()
    {
        // Control: the pass sees the servers through the variables, and the runner's failures reach this side.
        var resultFile = Path.Combine(TestContext.CurrentContext.WorkDirectory, "framework-mono-unreachable.xml");
        var closedPort = FreeTcpPort.Next();
        var environment = Servers($"Host=127.0.0.1;Port={closedPort};Username=postgres;Timeout=2", $"127.0.0.1:{closedPort},password=x,connectTimeout=1000");

        var pass = await MonoPass.RunAsync(resultFile, environment, where: $"cat == {RealServers} && (method == {PostgresOk} || method == {RedisOk})");

        Assert.That(pass.Failed, Has.Exactly(1).Contains(PostgresOk).And.Exactly(1).Contains(RedisOk), pass.Output);
        Assert.That(pass.Cases.Count, Is.EqualTo(2), "control: the filter ran just these two");
        Assert.That(pass.ExitCode, Is.EqualTo(2), "nunit3-console counts them as failed");
    }

    [Test]
    public async Task FrameworkPass_ServersFrozen_RealServerChecksFailAtTheirDeadlines()
    {
        // SIGSTOP: the ports still accept connections and nothing answers. Under Mono the checks must end at their
        // deadlines (5 s for the database, 2 s for Redis), not wait for the servers.
        var resultFile = Path.Combine(TestContext.CurrentContext.WorkDirectory, "framework-mono-frozen.xml");
        _postgres.Freeze();
        _redis.Freeze();
        MonoPass pass;
        try
        {
            pass = await MonoPass.RunAsync(
                resultFile, Servers(_postgres.ConnectionString, _redis.Configuration), where: $"method == {PostgresOk} || method == {RedisOk}");
        }
        finally
        {
            _redis.Thaw();
            _postgres.Thaw();
        }

        Assert.That(pass.Failed, Has.Exactly(1).Contains(PostgresOk).And.Exactly(1).Contains(RedisOk), pass.Output);
        var database = pass.Cases.Single(test => test.FullName.Contains(PostgresOk, StringComparison.Ordinal));
        var redis = pass.Cases.Single(test => test.FullName.Contains(RedisOk, StringComparison.Ordinal));
        Assert.That(database.Message, Does.Contain("\"database\":\"fail\""), "the status body reported the check failed");
        Assert.That(redis.Message, Does.Contain("503"));
        Assert.That(database.Duration, Is.LessThan(TimeSpan.FromSeconds(7)), "the 5 s deadline ended the wait");
        Assert.That(redis.Duration, Is.LessThan(TimeSpan.FromSeconds(4)), "the 2 s deadline ended the wait");
    }

    private static Dictionary<string, string> Servers(string postgres, string redis) => new(StringComparer.Ordinal)
    {
        ["HEALTHENDPOINT_FRAMEWORK_POSTGRES"] = postgres,
        ["HEALTHENDPOINT_FRAMEWORK_REDIS"] = redis,
    };
}
