using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace LegacyApp.Tests;

/// <summary>
/// LegacyApp on the real host with the probe family on: startupz turns 200 when the host has started, and a
/// graceful stop with <c>Host:DrainDelay</c> answers status and readiness 503 while ping and livez stay 200,
/// then closes the listener. On each host <c>Host:Server</c> names.
/// </summary>
[TestFixture("HttpListener")]
[TestFixture("Kestrel")]
[NonParallelizable]
public sealed class DrainWindowTests
{
    private static readonly TimeSpan DrainDelay = TimeSpan.FromSeconds(2);

    private readonly string _server;

    private string _directory = null!;

    public DrainWindowTests(string server)
    {
        _server = server;
    }

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("legacyapp-drain-").FullName;

    [TearDown]
    public void DeleteDirectory()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Stop_WithDrainDelay_ReadinessFailsLivenessPassesThenListenerCloses()
    {
        await using var host = await LegacyAppHost.StartAsync(Settings(("Host:DrainDelay", "00:00:02")));
        var before = await StatusCodesAsync(host);

        var clock = Stopwatch.StartNew();
        var stop = host.StopServerAsync();
        var during = await StatusCodesAsync(host);
        var statusBody = await (await host.SendAsync(HttpMethod.Get, "/healthz/status")).Content.ReadAsStringAsync();
        var stillDrainingAfterProbes = !stop.IsCompleted;
        await stop;
        var closedAfter = clock.Elapsed;

        Assert.That(before, Is.EqualTo(new[] { 200, 200, 200, 200, 200, 200 }), "the control: all healthy before the stop");
        Assert.That(during, Is.EqualTo(new[] { 200, 200, 503, 503, 200, 200 }), "ping, livez, status, readyz, startupz, app page");
        Assert.That(statusBody, Is.EqualTo("""{"checks":{"shutdown":"fail"},"status":"fail"}"""));
        Assert.That(stillDrainingAfterProbes, Is.True, "the probes were answered inside the drain window");
        Assert.That(closedAfter, Is.GreaterThanOrEqualTo(DrainDelay - TimeSpan.FromMilliseconds(50)));
        Assert.That(await ConnectsAsync(host.BaseAddress), Is.False, "the listener is closed after the drain window");
    }

    [Test]
    public async Task Stop_WithoutDrainDelay_ClosesAtOnce()
    {
        await using var host = await LegacyAppHost.StartAsync(Settings());
        Assert.That(await ConnectsAsync(host.BaseAddress), Is.True, "the control: the listener accepts before the stop");

        var clock = Stopwatch.StartNew();
        await host.StopServerAsync();

        Assert.That(clock.Elapsed, Is.LessThan(DrainDelay));
        Assert.That(await ConnectsAsync(host.BaseAddress), Is.False);
    }

    private static async Task<int[]> StatusCodesAsync(LegacyAppHost host)
    {
        var codes = new List<int>();
        foreach (var path in new[] { "/healthz/ping", "/livez", "/healthz/status", "/readyz", "/startupz", "/" })
        {
            using var response = await host.SendAsync(HttpMethod.Get, path);
            codes.Add((int)response.StatusCode);
        }

        return codes.ToArray();
    }

    private static async Task<bool> ConnectsAsync(Uri address)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(address.Host, address.Port);
            return true;
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return false;
        }
    }

    private Dictionary<string, string?> Settings(params (string Key, string Value)[] pairs)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(_directory, "legacy.db")}",
            ["HealthEndpoint:LivePath"] = "/livez",
            ["HealthEndpoint:ReadyPath"] = "/readyz",
            ["HealthEndpoint:StartupPath"] = "/startupz",
            ["HealthEndpoint:StatusCacheDuration"] = "00:00:00",
            ["Host:Server"] = _server,
        };
        foreach (var (key, value) in pairs)
        {
            settings[key] = value;
        }

        return settings;
    }
}
