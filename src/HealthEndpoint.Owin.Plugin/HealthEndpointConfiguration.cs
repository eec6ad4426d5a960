using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using HealthEndpoint.Owin.Prometheus;
using HealthEndpoint.Owin.Redis;
using StackExchange.Redis;

namespace HealthEndpoint.Owin.Plugin;

/// <summary>
/// Reads the health endpoint's settings from a host's configuration, with the key names of Request
/// Tracker's settings, and reports every invalid one at once.
/// </summary>
/// <remarks>
/// Keys: <c>HealthEndpoint:PingPath</c>, <c>:StatusPath</c>, <c>:CheckRedis</c> (unset = auto, true, false),
/// <c>:CheckTimeout</c>, <c>:StatusCacheDuration</c> (durations as <c>hh:mm:ss[.fff]</c>), <c>:DatabaseCommand</c>
/// (unset = <c>SELECT 1</c>), and the opt-in
/// settings that <see cref="OptInSettings"/> and <see cref="MetricsSettings"/> read;
/// <c>Database:Provider</c> (a name the host registered, default <c>Sqlite</c>) and
/// <c>Database:ConnectionString</c> (unset = no database check); <c>WebSession:Class</c> (<c>Memory</c> or
/// <c>Redis</c>) and <c>WebSession:Redis</c> (a StackExchange.Redis configuration string).
/// </remarks>
internal static class HealthEndpointConfiguration
{
    public const string Section = "HealthEndpoint";
    public const string DatabaseProviderKey = "Database:Provider";
    public const string DatabaseConnectionStringKey = "Database:ConnectionString";
    public const string SessionClassKey = "WebSession:Class";
    public const string SessionRedisKey = "WebSession:Redis";
    public const string CheckRedisKey = Section + ":CheckRedis";
    public const string DatabaseCommandKey = Section + ":DatabaseCommand";

    /// <summary>Builds the endpoint's options; the Redis check and metrics page this created are returned to be disposed.</summary>
    /// <exception cref="HealthEndpointConfigurationException">Any setting is invalid; every one is named.</exception>
    /// <param name="context">The host's configuration, logging, providers and shared objects.</param>
    /// <param name="configure">The app's own additions (custom checks), applied before validation; may be null.</param>
    public static (HealthEndpointOptions Options, RedisHealthCheck? OwnedRedisCheck, PrometheusMetricsPage? OwnedMetricsPage) Read(PluginContext context, Action<HealthEndpointOptions>? configure)
    {
        var configuration = context.Configuration;
        var problems = new List<KeyValuePair<string, string>>();
        void Add(string key, string problem) => problems.Add(new KeyValuePair<string, string>(key, key + " " + problem));

        var options = new HealthEndpointOptions
        {
            Logger = context.LoggerFactory.CreateLogger("HealthEndpoint.Owin"),
        };
        options.PingPath = Value(configuration, Section + ":PingPath") ?? options.PingPath;
        options.StatusPath = Value(configuration, Section + ":StatusPath") ?? options.StatusPath;
        options.CheckTimeout = Duration(configuration, Section + ":CheckTimeout", Add) ?? options.CheckTimeout;
        options.StatusCacheDuration = Duration(configuration, Section + ":StatusCacheDuration", Add) ?? options.StatusCacheDuration;
        options.Lifecycle = context.Lifecycle;
        OptInSettings.Read(configuration, options, Add);
        var metricsPage = MetricsSettings.Read(configuration, options, Add);

        var database = options.Database = DatabaseCheck(context, Add);
        var redis = RedisCheck(context, Add);
        options.Redis = redis.Check is null ? null : redis.Check.CheckAsync;

        configure?.Invoke(options);
        OptionsValidator.Collect(options, Section + ":", problems);
        if (problems.Count > 0)
        {
            redis.Owned?.Dispose();
            metricsPage?.Dispose();
            throw new HealthEndpointConfigurationException(problems);
        }

        StartupLine.Log(
            options.Logger,
            options,
            database is not null && options.Database == database ? Value(configuration, DatabaseProviderKey) ?? "Sqlite" : null,
            redis.Check is not null && options.Redis == (HealthCheck)redis.Check.CheckAsync ? RedisEndPoints(context) : null);
        return (options, redis.Owned, metricsPage);
    }

    private static HealthCheck? DatabaseCheck(PluginContext context, Action<string, string> add)
    {
        var providerName = Value(context.Configuration, DatabaseProviderKey);
        var connectionString = Value(context.Configuration, DatabaseConnectionStringKey);
        var command = Value(context.Configuration, DatabaseCommandKey);
        if (command is not null && string.IsNullOrWhiteSpace(command))
        {
            add(DatabaseCommandKey, "must be a command such as SELECT NOT pg_is_in_recovery(), or unset for SELECT 1.");
            command = null; // Reported; the other database keys are still checked so every problem is named at once.
        }

        if (providerName is null && string.IsNullOrEmpty(connectionString))
        {
            return null;
        }

        providerName ??= "Sqlite";
        if (!context.DatabaseProviders.TryGetValue(providerName, out var provider))
        {
            var known = new List<string>(context.DatabaseProviders.Keys);
            known.Sort(StringComparer.OrdinalIgnoreCase);
            add(DatabaseProviderKey, $"'{providerName}' is not a provider this app knows; use one of: {(known.Count == 0 ? "(none registered)" : string.Join(", ", known))}.");
            return null;
        }

        return string.IsNullOrEmpty(connectionString) ? null : new DatabaseHealthCheck(provider, connectionString!, command).CheckAsync;
    }

    private static (RedisHealthCheck? Check, RedisHealthCheck? Owned) RedisCheck(PluginContext context, Action<string, string> add)
    {
        var configuration = context.Configuration;
        var sessionClass = Value(configuration, SessionClassKey) ?? "Memory";
        var sessionsInRedis = string.Equals(sessionClass, "Redis", StringComparison.OrdinalIgnoreCase);
        if (!sessionsInRedis && !string.Equals(sessionClass, "Memory", StringComparison.OrdinalIgnoreCase))
        {
            add(SessionClassKey, $"must be Memory or Redis (was '{sessionClass}').");
        }

        bool checkRedis;
        switch (OptInSettings.Flag(Value(configuration, CheckRedisKey)))
        {
            case OptInSettings.Switch.Unset: checkRedis = sessionsInRedis; break;
            case OptInSettings.Switch.On: checkRedis = true; break;
            case OptInSettings.Switch.Off: checkRedis = false; break;
            default:
                add(CheckRedisKey, "must be true, false, or unset to follow WebSession:Class.");
                return (null, null);
        }

        if (!checkRedis)
        {
            return (null, null);
        }

        if (context.Services?.GetService(typeof(IConnectionMultiplexer)) is IConnectionMultiplexer shared)
        {
            return (new RedisHealthCheck(shared), null);
        }

        var redisConfiguration = Value(configuration, SessionRedisKey);
        if (string.IsNullOrWhiteSpace(redisConfiguration))
        {
            var why = sessionsInRedis ? $"{SessionClassKey} is Redis" : $"{CheckRedisKey} is true";
            add(SessionRedisKey, $"must be set to a StackExchange.Redis configuration string because {why}.");
            return (null, null);
        }

        try
        {
            var owned = new RedisHealthCheck(redisConfiguration!);
            return (owned, owned);
        }
        catch (ArgumentException)
        {
            add(SessionRedisKey, "is not a StackExchange.Redis configuration string that names a server (the value is not shown: it may hold a password).");
            return (null, null);
        }
    }

    // The endpoints of the multiplexer the Redis check uses: the app's shared one, or the configuration string's.
    private static IEnumerable<System.Net.EndPoint> RedisEndPoints(PluginContext context) =>
        context.Services?.GetService(typeof(IConnectionMultiplexer)) is IConnectionMultiplexer shared
            ? shared.GetEndPoints(configuredOnly: true)
            : ConfigurationOptions.Parse(Value(context.Configuration, SessionRedisKey)!).EndPoints;

    private static TimeSpan? Duration(IConfiguration configuration, string key, Action<string, string> add)
    {
        var value = Value(configuration, key);
        if (value is null)
        {
            return null;
        }

        // hh:mm:ss is required: TimeSpan formats read a bare "2" as two days, not two seconds.
        if (value.Contains(":") && TimeSpan.TryParseExact(value.Trim(), "c", CultureInfo.InvariantCulture, out var duration))
        {
            return duration;
        }

        add(key, $"must be a duration such as 00:00:02 or 00:00:00.500 (was '{value}').");
        return null;
    }

    internal static string? Value(IConfiguration configuration, string key) => configuration.GetSection(key).Value;
}
