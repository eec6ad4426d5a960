using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace LegacyApp.Tests;

/// <summary>
/// The startup output as an operator reads it: the health paths LegacyApp really answers and the checks it runs,
/// without the Redis password that the configuration string carries.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class StartupLineTests
{
    private const string Password = "startup-line-secret-4711";

    [Test]
    public async Task Run_PingPathAndRedisWithPassword_StartupLineNamesRealPathsAndChecksButNotThePassword()
    {
        await using var redis = await RedisServer.StartAsync(Password);
        var port = FreeTcpPort.Next();
        using var app = LegacyAppProcessTests.Start(
            ("Urls", $"http://127.0.0.1:{port}/"),
            ("HealthEndpoint__PingPath", "/ping"),
            ("HealthEndpoint__ReadyPath", "/readyz"),
            ("WebSession__Class", "Redis"),
            ("WebSession__Redis", redis.Configuration));
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        await Poll.UntilAsync(async () => (await client.GetAsync("/ping")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "LegacyApp answers /ping");
        var status = await client.GetStringAsync("/healthz/status");
        PosixSignal.TrySend(app.Process.Id, PosixSignal.Terminate);
        Assert.That(app.WaitForExit(TimeSpan.FromSeconds(15)), Is.True, "SIGTERM stops the app (and flushes its log)");

        var line = app.Output.Split('\n').SingleOrDefault(text => text.Contains("Health endpoint paths:", StringComparison.Ordinal));
        Assert.That(redis.Configuration, Does.Contain(Password), "control: the configuration string carries the password");
        Assert.That(status, Does.Contain("\"redis\":\"ok\""), "control: the password reached Redis");
        Assert.That(line, Is.Not.Null, app.Output);
        Assert.That(line, Does.Contain("ping /ping, status /healthz/status, ready /readyz;"));
        Assert.That(line, Does.Contain($"checks: database (Sqlite), redis (127.0.0.1:{redis.Port})."));
        Assert.That(line, Does.Not.Contain("/healthz/ping"));
        Assert.That(app.Output, Does.Not.Contain(Password));
    }
}
