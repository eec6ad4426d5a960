using System.Collections.Generic;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using HealthEndpoint.Owin.Plugin;

namespace HealthEndpoint.Owin.Plugin.Tests;

/// <summary>
/// An invalid <c>HealthEndpoint:*</c> setting (a path, a duration, a flag, the database command or provider, the
/// Redis settings) stops startup with one message naming its key; several are named in one exception.
/// </summary>
[TestFixture]
public sealed class HealthEndpointConfigurationTests
{
    [TestCase("HealthEndpoint:PingPath", "healthz/ping", "must start with '/'")]
    [TestCase("HealthEndpoint:StatusPath", "status", "must start with '/'")]
    [TestCase("HealthEndpoint:PingPath", "/", "at least one segment")]
    [TestCase("HealthEndpoint:CheckTimeout", "-00:00:01", "must be a positive duration")]
    [TestCase("HealthEndpoint:CheckTimeout", "00:00:00", "must be a positive duration")]
    [TestCase("HealthEndpoint:CheckTimeout", "2", "must be a duration such as 00:00:02")]
    [TestCase("HealthEndpoint:CheckTimeout", "two seconds", "must be a duration such as 00:00:02")]
    [TestCase("HealthEndpoint:StatusCacheDuration", "-00:00:01", "must be zero or positive")]
    [TestCase("HealthEndpoint:StatusCacheDuration", "1s", "must be a duration")]
    [TestCase("HealthEndpoint:CheckRedis", "maybe", "must be true, false, or unset")]
    [TestCase("Database:Provider", "Oracle", "'Oracle' is not a provider this app knows; use one of: Sqlite")]
    [TestCase("WebSession:Class", "File", "must be Memory or Redis")]
    [TestCase("HealthEndpoint:LivePath", "livez", "must start with '/'")]
    [TestCase("HealthEndpoint:ReadyPath", "/healthz/status", "must differ from HealthEndpoint:StatusPath")]
    [TestCase("HealthEndpoint:StartupPath", "/startupz?now", "without query")]
    [TestCase("HealthEndpoint:PerCheckPaths", "yes", "must be true or false")]
    [TestCase("HealthEndpoint:ProbeQueries", "on", "must be true or false")]
    [TestCase("HealthEndpoint:HealthJson", "2", "must be true or false")]
    [TestCase("HealthEndpoint:DatabaseCommand", "", "must be a command such as SELECT NOT pg_is_in_recovery(), or unset for SELECT 1")]
    [TestCase("HealthEndpoint:DatabaseCommand", " \t ", "must be a command")]
    public void Plugin_InvalidSetting_ThrowsOneMessageNamingTheKey(string key, string value, string problem)
    {
        var exception = Assert.Throws<HealthEndpointConfigurationException>(() => Create((key, value)));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { key }));
        Assert.That(exception.Message, Does.StartWith("Invalid configuration: " + key + " ").And.Contain(problem));
    }

    [Test]
    public void Plugin_PingPathEqualsStatusPath_NamesStatusPath()
    {
        var exception = Assert.Throws<HealthEndpointConfigurationException>(
            () => Create(("HealthEndpoint:PingPath", "/health"), ("HealthEndpoint:StatusPath", "/Health/")));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { "HealthEndpoint:StatusPath" }));
        Assert.That(exception.Message, Does.Contain("must differ from HealthEndpoint:PingPath"));
    }

    [Test]
    public void Plugin_CheckRedisTrueWithoutRedisSettings_NamesBothKeys()
    {
        var exception = Assert.Throws<HealthEndpointConfigurationException>(() => Create(("HealthEndpoint:CheckRedis", "true")));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { "WebSession:Redis" }));
        Assert.That(exception.Message, Does.Contain("HealthEndpoint:CheckRedis is true"));
    }

    [Test]
    public void Plugin_RedisSessionsWithoutRedisSettings_NamesWebSessionRedis()
    {
        var exception = Assert.Throws<HealthEndpointConfigurationException>(() => Create(("WebSession:Class", "Redis")));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { "WebSession:Redis" }));
        Assert.That(exception.Message, Does.Contain("WebSession:Class is Redis"));
    }

    [Test]
    public void Plugin_UnparsableRedisConfiguration_NamesKeyWithoutEchoingValue()
    {
        var exception = Assert.Throws<HealthEndpointConfigurationException>(
            () => Create(("WebSession:Class", "Redis"), ("WebSession:Redis", "127.0.0.1:6379,password=hunter2,notAnOption=3")));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { "WebSession:Redis" }));
        Assert.That(exception.Message, Does.Not.Contain("hunter2"));
    }

    [Test]
    public void Plugin_ProviderWithoutRegistration_ListsKnownProviders()
    {
        var context = new PluginContext(Configuration(("Database:ConnectionString", "Data Source=x.db")));

        var exception = Assert.Throws<HealthEndpointConfigurationException>(() => _ = new ConfiguredHealthEndpoint(context));

        Assert.That(exception!.Keys, Is.EqualTo(new[] { "Database:Provider" }));
        Assert.That(exception.Message, Does.Contain("(none registered)"));
    }

    [Test]
    public void Plugin_SeveralBadSettings_NamesEveryKeyInOneException()
    {
        var exception = Assert.Throws<HealthEndpointConfigurationException>(
            () => Create(("HealthEndpoint:CheckTimeout", "soon"), ("WebSession:Class", "Files"), ("HealthEndpoint:PingPath", "ping")));

        Assert.That(exception!.Keys, Is.EquivalentTo(new[] { "HealthEndpoint:CheckTimeout", "WebSession:Class", "HealthEndpoint:PingPath" }));
    }

    [Test]
    public void Plugin_BlankDatabaseCommandAndUnknownProvider_NamesBothKeys()
    {
        var exception = Assert.Throws<HealthEndpointConfigurationException>(
            () => Create(("HealthEndpoint:DatabaseCommand", ""), ("Database:Provider", "Oracle"), ("Database:ConnectionString", "x")));

        Assert.That(exception!.Keys, Is.EquivalentTo(new[] { "HealthEndpoint:DatabaseCommand", "Database:Provider" }));
    }

    [TestCase("HealthEndpoint:CheckTimeout", "00:00:00.250")]
    [TestCase("HealthEndpoint:StatusCacheDuration", "00:00:00")]
    [TestCase("HealthEndpoint:CheckRedis", "")]
    [TestCase("Database:Provider", "SQLITE")]
    [TestCase("WebSession:Class", "memory")]
    [TestCase("HealthEndpoint:LivePath", "/livez")]
    [TestCase("HealthEndpoint:ReadyPath", "")]
    [TestCase("HealthEndpoint:PerCheckPaths", "TRUE")]
    [TestCase("HealthEndpoint:HealthJson", "0")]
    [TestCase("HealthEndpoint:DatabaseCommand", "SELECT NOT pg_is_in_recovery()")]
    public void Plugin_ValidSetting_IsAccepted(string key, string value)
    {
        Assert.DoesNotThrow(() => Create((key, value)));
    }

    private static void Create(params (string Key, string? Value)[] pairs)
    {
        var context = new PluginContext(Configuration(pairs));
        context.DatabaseProviders["Sqlite"] = SqliteFactory.Instance;
        using var plugin = new ConfiguredHealthEndpoint(context);
    }

    private static IConfiguration Configuration(params (string Key, string? Value)[] pairs)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (key, value) in pairs)
        {
            values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
