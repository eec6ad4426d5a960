using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using HealthEndpoint.Owin;
using HealthEndpoint.Owin.Host.HttpListener;
using LegacyApp.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace LegacyApp.Tests;

/// <summary><c>App:MaxConcurrentRequests</c> and <c>App:RetryAfter</c>, and the HttpListener host's refusal of IPv6 <c>Urls</c>.</summary>
[TestFixture]
public sealed class AppLimitSettingsTests
{
    [Test]
    public void Read_Unset_HalfTheHostLimitAtMost512AndOneSecond()
    {
        var hostLimit = new HttpListenerOwinServerOptions().MaxConcurrentRequests;

        var (bound, retryAfter) = AppLimitSettings.Read(LegacySettings.Build([]));

        Assert.That(bound, Is.EqualTo(Math.Min(512, hostLimit / 2)));
        Assert.That(retryAfter, Is.EqualTo(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public void Read_KestrelWithMaxConnections_BoundDerivedFromIt()
    {
        var (bound, _) = AppLimitSettings.Read(Settings(("Host:Server", "Kestrel"), ("Host:MaxConnections", "300")));

        Assert.That(bound, Is.EqualTo(150));
    }

    [TestCase("App:MaxConcurrentRequests", "0", "App:MaxConcurrentRequests must be a whole number")]
    [TestCase("App:MaxConcurrentRequests", "many", "App:MaxConcurrentRequests must be a whole number")]
    [TestCase("App:MaxConcurrentRequests", "100000000", "must be below the host's limit")]
    [TestCase("App:RetryAfter", "5", "App:RetryAfter must be a duration")]
    [TestCase("App:RetryAfter", "00:00:00.500", "App:RetryAfter must be a duration")]
    public void Read_Invalid_ThrowsNamingTheKey(string key, string value, string expected)
    {
        Assert.That(
            () => AppLimitSettings.Read(Settings((key, value))),
            Throws.TypeOf<HealthEndpointConfigurationException>().With.Message.Contains(expected));
    }

    [Test]
    public void Read_KestrelBoundAtMaxConnections_Refused()
    {
        Assert.That(
            () => AppLimitSettings.Read(Settings(("Host:Server", "Kestrel"), ("Host:MaxConnections", "300"), ("App:MaxConcurrentRequests", "300"))),
            Throws.TypeOf<HealthEndpointConfigurationException>().With.Message.Contains("below the host's limit of 300"));
    }

    [Test]
    public async Task Create_HttpListenerWithIpv6Url_RefusedNamingUrlsAndWhatToWrite()
    {
        var configuration = Settings(("Urls", "http://[::1]:5080/"), ("Host:Server", "HttpListener"));
        await using var application = LegacyApplication.Create(configuration, NullLoggerFactory.Instance);

        Assert.That(
            () => AppServer.Create(application, configuration, LegacySettings.Urls(configuration), NullLogger.Instance),
            Throws.TypeOf<HealthEndpointConfigurationException>().With.Message.Contains("Urls: ").And.Message.Contains("http://+:5080/"));
    }

    private static Microsoft.Extensions.Configuration.IConfiguration Settings(params (string Key, string Value)[] settings)
    {
        var overrides = new Dictionary<string, string?>();
        foreach (var (key, value) in settings)
        {
            overrides[key] = value;
        }

        return LegacySettings.Build([], overrides);
    }
}
