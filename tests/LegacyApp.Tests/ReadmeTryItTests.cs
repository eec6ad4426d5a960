using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace LegacyApp.Tests;

/// <summary>
/// README's "Try it": the sample checks SQLite when run as printed, and the one line the README gives points it at
/// PostgreSQL and Redis. The line's settings are run as printed, with only its two placeholders (the connection
/// string and the Redis configuration, written with "...") replaced by real servers' and <c>Urls</c> set to a free
/// port. The control is the sample on its embedded defaults: SQLite, no Redis check.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed partial class ReadmeTryItTests
{
    [Test]
    public async Task PostgresAndRedisLine_AsPrinted_ChecksBothAndReportsOk()
    {
        var settings = TryItLineSettings();
        TestContext.Out.WriteLine("README: " + string.Join(' ', settings.Select(setting => $"{setting.Key}={setting.Value}")));
        Assert.That(settings["Database__ConnectionString"], Does.Contain("..."), "a placeholder the test replaces");
        Assert.That(settings["WebSession__Redis"], Does.Contain("..."), "a placeholder the test replaces");
        await using var postgres = await PostgresServer.StartAsync();
        await using var redis = await RedisServer.StartAsync();
        settings["Database__ConnectionString"] = postgres.ConnectionString;
        settings["WebSession__Redis"] = redis.Configuration;

        var (status, output) = await RunAsync(settings.Select(setting => (setting.Key, setting.Value)).ToArray());

        Assert.That(status, Is.EqualTo("""{"checks":{"database":"ok","redis":"ok"},"status":"ok"}"""), output);
        Assert.That(output, Does.Contain($"checks: database (Npgsql), redis (127.0.0.1:{redis.Port})."));
    }

    [Test]
    public async Task Control_TheFirstCommandAsPrinted_ChecksSqliteAndNotRedis()
    {
        var (status, output) = await RunAsync();

        Assert.That(status, Is.EqualTo("""{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}"""), output);
        Assert.That(output, Does.Contain("checks: database (Sqlite)."));
    }

    // The NAME=value words before `dotnet run` on the README's line that sets Database__Provider.
    private static Dictionary<string, string> TryItLineSettings()
    {
        var readme = Readme();
        var tryIt = readme[readme.IndexOf("## Try it", StringComparison.Ordinal)..readme.IndexOf("## Install", StringComparison.Ordinal)];
        var line = tryIt.Split('\n').Single(text => text.StartsWith("Database__Provider=", StringComparison.Ordinal));
        Assert.That(line, Does.EndWith("dotnet run --project samples/LegacyApp"));
        return Assignment().Matches(line[..line.IndexOf("dotnet run", StringComparison.Ordinal)])
            .ToDictionary(match => match.Groups["name"].Value, match => match.Groups["value"].Value.Trim('"'));
    }

    /// <summary>The repository's README.md.</summary>
    internal static string Readme()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "HealthEndpoint.Owin.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("The tests run outside the repository.");
        }

        return File.ReadAllText(Path.Combine(root.FullName, "README.md"));
    }

    private static async Task<(string Status, string Output)> RunAsync(params (string Name, string Value)[] settings)
    {
        var port = FreeTcpPort.Next();
        using var app = LegacyAppProcessTests.Start([("Urls", $"http://127.0.0.1:{port}/"), .. settings]);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        await Poll.UntilAsync(async () => (await client.GetAsync("/healthz/ping")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "LegacyApp answers ping");
        var status = await client.GetStringAsync("/healthz/status");
        PosixSignal.TrySend(app.Process.Id, PosixSignal.Terminate);
        Assert.That(app.WaitForExit(TimeSpan.FromSeconds(15)), Is.True, "SIGTERM stops the app (and flushes its log)");
        return (status, app.Output);
    }

    [GeneratedRegex("""(?<name>[A-Za-z_]+)=(?<value>"[^"]*"|\S+)""")]
    private static partial Regex Assignment();
}
