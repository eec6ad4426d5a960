using System;

namespace HealthEndpoint.Owin.Framework.Tests;

/// <summary>
/// The real PostgreSQL and Redis of this pass. tests/FrameworkPass.Tests starts them with the fixtures of
/// tests/HealthEndpoint.Testing (which are .NET 10 code) and hands their addresses over in environment variables.
/// </summary>
internal static class FrameworkServers
{
    /// <summary>The variable holding an Npgsql connection string (pooled) of a running PostgreSQL.</summary>
    public const string PostgresVariable = "HEALTHENDPOINT_FRAMEWORK_POSTGRES";

    /// <summary>The variable holding a StackExchange.Redis configuration string (with password) of a running Redis.</summary>
    public const string RedisVariable = "HEALTHENDPOINT_FRAMEWORK_REDIS";

    /// <summary>The category of the tests that need the servers.</summary>
    public const string Category = "RealServers";

    public static string PostgresConnectionString => Required(PostgresVariable);

    public static string RedisConfiguration => Required(RedisVariable);

    // A missing variable fails the test: this pass never skips what it cannot reach.
    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set. Run this pass through tests/FrameworkPass.Tests (./build.sh --target=FrameworkTest), which starts the servers.");
}
