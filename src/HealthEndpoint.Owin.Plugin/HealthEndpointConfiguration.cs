using System;
using System.Collections.Generic;
using Microsoft.Extensions.Configuration;
using System.Net;
using Microsoft.Extensions.Logging;
using HealthEndpoint.Owin.Prometheus;
using HealthEndpoint.Owin.Redis;
using StackExchange.Redis;

namespace HealthEndpoint.Owin.Plugin;

/// <summary>
/// Reads the health endpoint's settings from a host's configuration, with the key names of the settings of Request
/// Tracker (RT, the ticket system whose health endpoint this library follows), and reports every invalid one at once.
/// </summary>
/// <remarks>
/// Keys: <c>HealthEndpoint:PingPath</c>, <c>:StatusPath</c>, <c>:CheckRedis</c> (unset = auto, true, false),
/// <c>:CheckTimeout</c>, <c>:StatusCacheDuration</c> (durations as <c>hh:mm:ss[.fff]</c>), <c>:DatabaseCommand</c>
/// (unset = <c>SELECT 1</c>), and the opt-in
/// settings that <see cref="ProbeAndAccessSettings"/> and <see cref="MetricsSettings"/> read;
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
        options.CheckTimeout = ConfigurationValues.Duration(configuration, Section + ":CheckTimeout", Add) ?? options.CheckTimeout;
        options.StatusCacheDuration = ConfigurationValues.Duration(configuration, Section + ":StatusCacheDuration", Add) ?? options.StatusCacheDuration;
        ProbeAndAccessSettings.Read(configuration, options, Add);
        var metricsPage = MetricsSettings.Read(configuration, options, Add);

        var database = options.Database = DatabaseCheck(context, Add);
        var redis = RedisCheck(context, Add);
        options.Redis = redis.Check is null ? null : redis.Check.CheckAsync;

        configure?.Invoke(options);
        try
        {
            // Configuration problems and the options' own in one exception, through the core's public API.
            options.Validate(Section + ":", problems);
        }
        catch (HealthEndpointConfigurationException)
        {
            redis.Owned?.Dispose();
            metricsPage?.Dispose();
            throw;
        }

        StartupLine.Log(
            options.Logger,
            options,
            database is not null && options.Database == database ? Value(configuration, DatabaseProviderKey) ?? "Sqlite" : null,
            redis.Check is not null && options.Redis == (HealthCheck)redis.Check.CheckAsync ? redis.EndPoints : null);
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

    // The check, the one this plugin opened itself (to dispose), and the endpoints its multiplexer was configured with.
    private static (RedisHealthCheck? Check, RedisHealthCheck? Owned, IEnumerable<EndPoint>? EndPoints) RedisCheck(PluginContext context, Action<string, string> add)
    {
        var configuration = context.Configuration;
        var sessionClass = Value(configuration, SessionClassKey) ?? "Memory";
        var sessionsInRedis = string.Equals(sessionClass, "Redis", StringComparison.OrdinalIgnoreCase);
        if (!sessionsInRedis && !string.Equals(sessionClass, "Memory", StringComparison.OrdinalIgnoreCase))
        {
            add(SessionClassKey, $"must be Memory or Redis (was '{sessionClass}').");
        }

        bool checkRedis;
        switch (ConfigurationValues.Flag(Value(configuration, CheckRedisKey)))
        {
            case ConfigurationValues.Switch.Unset: checkRedis = sessionsInRedis; break;
            case ConfigurationValues.Switch.On: checkRedis = true; break;
            case ConfigurationValues.Switch.Off: checkRedis = false; break;
            default:
                add(CheckRedisKey, "must be true, false, or unset to follow WebSession:Class.");
                return (null, null, null);
        }

        if (!checkRedis)
        {
            return (null, null, null);
        }

        if (context.Services?.GetService(typeof(IConnectionMultiplexer)) is IConnectionMultiplexer shared)
        {
            return (new RedisHealthCheck(shared), null, shared.GetEndPoints(configuredOnly: true));
        }

        var redisConfiguration = Value(configuration, SessionRedisKey);
        if (string.IsNullOrWhiteSpace(redisConfiguration))
        {
            var why = sessionsInRedis ? $"{SessionClassKey} is Redis" : $"{CheckRedisKey} is true";
            add(SessionRedisKey, $"must be set to a StackExchange.Redis configuration string because {why}.");
            return (null, null, null);
        }

        try
        {
            var owned = new RedisHealthCheck(redisConfiguration!);
            return (owned, owned, ConfigurationOptions.Parse(redisConfiguration!).EndPoints);
        }
        catch (ArgumentException)
        {
            add(SessionRedisKey, "is not a StackExchange.Redis configuration string that names a server (the value is not shown: it may hold a password).");
            return (null, null, null);
        }
    }

    private static string? Value(IConfiguration configuration, string key) => ConfigurationValues.Value(configuration, key);
}
