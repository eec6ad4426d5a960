using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace LegacyApp.Tests;

/// <summary>
/// The allowlist on the real host, where <c>server.RemoteIpAddress</c> comes from the socket: direct clients,
/// IPv4 and IPv6 clients behind a trusted proxy, and a spoofed <c>X-Forwarded-For</c> from an untrusted peer.
/// (The managed HttpListener cannot listen on an IPv6 literal, so IPv6 clients reach LegacyApp through a proxy;
/// IPv6 peer addresses from other hosts are covered by the middleware's own tests.)
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class AllowlistOverHttpTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("legacyapp-allowlist-").FullName;

    [TearDown]
    public void DeleteDirectory()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [TestCase("127.0.0.0/8", 200)]
    [TestCase("::1/128", 404)]
    [TestCase("10.0.0.0/8", 404)]
    public async Task Status_DirectClient_AllowedOr404WithEmptyBody(string allowed, int expected)
    {
        await using var host = await LegacyAppHost.StartAsync(Settings(("HealthEndpoint:AllowedNetworks", allowed)));

        var status = await SendAsync(host, "/healthz/status");
        var page = await SendAsync(host, "/");

        Assert.That(status, Is.EqualTo(expected == 200 ? (200, """{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}""") : (404, string.Empty)));
        Assert.That(page.Status, Is.EqualTo(200), "the app itself is not behind the allowlist");
    }

    // The peer is this test, on 127.0.0.1: a trusted proxy in the first settings, an untrusted one in the second.
    [TestCase("127.0.0.1", "10.1.2.3", 200, Description = "trusted proxy, allowed IPv4 client")]
    [TestCase("127.0.0.1", "::1", 200, Description = "trusted proxy, allowed IPv6 client")]
    [TestCase("127.0.0.1", "[::1]:4711", 200, Description = "trusted proxy, IPv6 client with port")]
    [TestCase("127.0.0.1", "2001:db8::1", 404, Description = "trusted proxy, IPv6 client outside")]
    [TestCase("127.0.0.1", "203.0.113.9", 404, Description = "trusted proxy, IPv4 client outside")]
    [TestCase("127.0.0.1", "10.1.2.3, 127.0.0.1", 200, Description = "a chain of trusted proxies")]
    [TestCase("127.0.0.1", null, 404, Description = "the proxy itself is not allowed")]
    [TestCase("192.0.2.0/24", "10.1.2.3", 404, Description = "untrusted peer spoofing an allowed client")]
    [TestCase("192.0.2.0/24", "::1", 404, Description = "untrusted peer spoofing an allowed IPv6 client")]
    public async Task Ping_ForwardedFor_HonouredOnlyFromTrustedProxy(string trusted, string? forwardedFor, int expected)
    {
        var settings = Settings(
            ("HealthEndpoint:AllowedNetworks:0", "10.1.0.0/16"),
            ("HealthEndpoint:AllowedNetworks:1", "::1"),
            ("HealthEndpoint:TrustedProxies", trusted));
        await using var host = await LegacyAppHost.StartAsync(settings);

        var (status, body) = await SendAsync(host, "/healthz/ping", forwardedFor);

        Assert.That(status, Is.EqualTo(expected));
        Assert.That(body, Is.EqualTo(expected == 200 ? "pong" : string.Empty));
    }

    private static async Task<(int Status, string Body)> SendAsync(LegacyAppHost host, string path, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        using var response = await host.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
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
