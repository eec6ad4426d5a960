using System;
using System.Reflection;
using System.Runtime.Versioning;
using HealthEndpoint.Owin.Redis;

namespace HealthEndpoint.Owin.Framework.Tests;

/// <summary>What this pass runs on: Mono, loading the libraries' netstandard2.0 builds and the Framework builds of the clients.</summary>
[TestFixture]
public sealed class FrameworkRuntimeTests
{
    [Test]
    public void Runtime_ThisPass_RunsOnMono()
    {
        Assert.That(Type.GetType("Mono.Runtime"), Is.Not.Null, "the pass must run under mono, not under dotnet");
    }

    [TestCase(typeof(HealthEndpointMiddleware))]
    [TestCase(typeof(RedisHealthCheck))]
    public void Library_LoadedBuild_IsNetStandard20(Type libraryType)
    {
        var framework = libraryType.Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;

        Assert.That(framework, Is.EqualTo(".NETStandard,Version=v2.0"));
    }

    [Test]
    public void Clients_LoadedVersions_AreNpgsql8AndStrongNamedStackExchangeRedis()
    {
        var npgsql = typeof(Npgsql.NpgsqlConnection).Assembly.GetName();
        var redis = typeof(StackExchange.Redis.ConnectionMultiplexer).Assembly.GetName();

        Assert.That(npgsql.Version!.Major, Is.EqualTo(8), "Npgsql 8.0.x is the newest line with a netstandard2.0 build");
        Assert.That(redis.Version!.Major, Is.GreaterThanOrEqualTo(2), "1.2.6 never reads a reply on Mono");
        Assert.That(redis.GetPublicKeyToken(), Is.Not.Empty, "the 2.x line is strong-named");
    }
}
