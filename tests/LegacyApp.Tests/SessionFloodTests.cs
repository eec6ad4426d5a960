using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using LegacyApp.Sessions;
using HealthEndpoint.Owin.Testing;

namespace LegacyApp.Tests;

/// <summary>
/// The product's core promise, end to end over real HTTP: health probes never create a session record,
/// while every other request still does, exactly as the legacy app always did.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class SessionFloodTests
{
    private static readonly string[] ProbePaths =
    [
        "/healthz/ping", "/healthz/ping/", "/HEALTHZ/PING", "/Healthz/Ping/",
        "/healthz/status", "/healthz/status/", "/HealthZ/STATUS", "/HEALTHZ/status/",
    ];

    private RedisServer _redis = null!;
    private string _directory = null!;

    [OneTimeSetUp]
    public async Task StartServersAsync()
    {
        _redis = await RedisServer.StartAsync();
        _directory = Directory.CreateTempSubdirectory("legacyapp-flood-").FullName;
    }

    [OneTimeTearDown]
    public async Task StopServersAsync()
    {
        await _redis.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Probes_RedisSessions_CreateNoSessionWhileAppRequestsCreateOneEach()
    {
        // Arrange
        await using var host = await LegacyAppHost.StartAsync(Settings(("WebSession:Class", "Redis"), ("WebSession:Redis", _redis.Configuration)));
        var keysBefore = await _redis.CountKeysAsync();

        // Act: 1,000 probes, mixed GET/HEAD over both paths in every spelling, then 100 cookieless app requests.
        var probes = await ProbeAsync(host, 1000);
        var keysAfterProbes = await _redis.CountKeysAsync();
        var pages = await RequestHomeAsync(host, 100);
        var keysAfterPages = await _redis.CountKeysAsync();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(probes.Select(response => response.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(probes.Where(response => response.Headers.Contains("Set-Cookie")), Is.Empty, "no probe carries Set-Cookie");
            Assert.That(keysAfterProbes, Is.EqualTo(keysBefore), "1,000 probes created no session key");
            Assert.That(pages.Select(response => response.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(pages.Count(response => response.Headers.Contains("Set-Cookie")), Is.EqualTo(100), "control: each app request gets a cookie");
            Assert.That(keysAfterPages - keysAfterProbes, Is.EqualTo(100), "control: each cookieless app request creates a session key");
        });
    }

    [Test]
    public async Task Probes_MemorySessions_CreateNoSessionWhileAppRequestsCreateOneEach()
    {
        await using var host = await LegacyAppHost.StartAsync(Settings());
        var store = (MemorySessionStore)host.Application.Sessions;

        var probes = await ProbeAsync(host, 400);
        var afterProbes = store.Count;
        await RequestHomeAsync(host, 50);

        Assert.That(probes.Where(response => response.Headers.Contains("Set-Cookie")), Is.Empty);
        Assert.That(afterProbes, Is.Zero);
        Assert.That(store.Count, Is.EqualTo(50), "control: the app itself still creates sessions");
    }

    [Test]
    public async Task AppRequest_WithItsSessionCookie_ReusesTheSession()
    {
        await using var host = await LegacyAppHost.StartAsync(Settings(("WebSession:Class", "Redis"), ("WebSession:Redis", _redis.Configuration)));
        var first = await host.SendAsync(HttpMethod.Get, "/");
        var cookie = first.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        var keys = await _redis.CountKeysAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", cookie);
        using var second = await host.Client.SendAsync(request);

        Assert.That(second.Headers.Contains("Set-Cookie"), Is.False);
        Assert.That(await second.Content.ReadAsStringAsync(), Does.Contain("visit 2"));
        Assert.That(await _redis.CountKeysAsync(), Is.EqualTo(keys));
    }

    private static async Task<List<HttpResponseMessage>> ProbeAsync(LegacyAppHost host, int count)
    {
        var responses = new List<HttpResponseMessage>(count);
        for (var i = 0; i < count; i++)
        {
            var method = i % 2 == 0 ? HttpMethod.Get : HttpMethod.Head;
            responses.Add(await host.SendAsync(method, ProbePaths[i % ProbePaths.Length]));
        }

        return responses;
    }

    private static async Task<List<HttpResponseMessage>> RequestHomeAsync(LegacyAppHost host, int count)
    {
        var responses = new List<HttpResponseMessage>(count);
        for (var i = 0; i < count; i++)
        {
            responses.Add(await host.SendAsync(HttpMethod.Get, "/"));
        }

        return responses;
    }

    private Dictionary<string, string?> Settings(params (string Key, string Value)[] pairs)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(_directory, "legacy.db")}",
        };
        foreach (var (key, value) in pairs)
        {
            settings[key] = value;
        }

        return settings;
    }
}
