using System;
using System.Collections.Generic;
using System.ComponentModel.Design;
using System.Data.Common;
using System.IO;
using System.Threading.Tasks;
using LegacyApp.Data;
using LegacyApp.Hosting;
using LegacyApp.Pages;
using LegacyApp.Sessions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Npgsql;
using HealthEndpoint.Owin;
using HealthEndpoint.Owin.Host.HttpListener;
using HealthEndpoint.Owin.Plugin;
using StackExchange.Redis;

namespace LegacyApp;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// The legacy app, composed: pages behind the session middleware, wrapped by the plugins of the
/// <c>Plugins</c> list (HealthEndpoint by default), exactly as RT builds its PSGI app.
/// </summary>
internal sealed class LegacyApplication : IAsyncDisposable
{
    private readonly PluginPipeline _pipeline;
    private readonly ConnectionMultiplexer? _redis;

    private LegacyApplication(PluginPipeline pipeline, ISessionStore sessions, ConnectionMultiplexer? redis)
    {
        _pipeline = pipeline;
        Sessions = sessions;
        _redis = redis;
    }

    /// <summary>The outermost app, for the server.</summary>
    public AppFunc App => _pipeline.App;

    /// <summary>The bound on the app's concurrent requests (health requests never reach it).</summary>
    public AppConcurrencyLimitMiddleware AppLimit { get; private init; } = null!;

    /// <summary>Where this app keeps its sessions.</summary>
    public ISessionStore Sessions { get; }

    /// <summary>Builds the app from configuration; invalid settings throw naming their key.</summary>
    /// <exception cref="HealthEndpointConfigurationException">A setting is invalid.</exception>
    public static LegacyApplication Create(IConfiguration configuration, ILoggerFactory loggerFactory)
    {
        var providers = new Dictionary<string, DbProviderFactory>(StringComparer.OrdinalIgnoreCase)
        {
            ["Sqlite"] = SqliteFactory.Instance,
            ["Npgsql"] = NpgsqlFactory.Instance,
            ["MySqlConnector"] = MySqlConnectorFactory.Instance,
        };
        var database = CreateDatabase(configuration, providers);

        ConnectionMultiplexer? redis = null;
        ISessionStore sessions;
        var services = new ServiceContainer();
        if (string.Equals(configuration["WebSession:Class"], "Redis", StringComparison.OrdinalIgnoreCase))
        {
            var redisConfiguration = configuration["WebSession:Redis"];
            if (string.IsNullOrWhiteSpace(redisConfiguration))
            {
                throw new HealthEndpointConfigurationException("WebSession:Redis", "WebSession:Redis must be set to a StackExchange.Redis configuration string because WebSession:Class is Redis.");
            }

            // One multiplexer for the whole app; the health plugin reuses it instead of opening its own.
            var options = ConfigurationOptions.Parse(redisConfiguration);
            options.AbortOnConnectFail = false;
            redis = ConnectionMultiplexer.Connect(options);
            services.AddService(typeof(IConnectionMultiplexer), redis);
            sessions = new RedisSessionStore(redis);
        }
        else
        {
            sessions = new MemorySessionStore();
        }

        // The app's bound sits inside the health endpoint: ping and status are answered before it, so stuck app
        // requests (a frozen database) fill the bound, never the host, and probes still get in.
        var (maxAppRequests, retryAfter) = AppLimitSettings.Read(configuration);
        var appLimit = new AppConcurrencyLimitMiddleware(
            new SessionMiddleware(new LegacyWebApp(database).Invoke, sessions).Invoke,
            maxAppRequests,
            retryAfter,
            loggerFactory.CreateLogger("LegacyApp.AppLimit"));
        AppFunc legacyApp = appLimit.Invoke;
        var context = new PluginContext(configuration, loggerFactory, services);
        foreach (var provider in providers)
        {
            context.DatabaseProviders.Add(provider);
        }

        try
        {
            var pipeline = PluginPipeline.Build(legacyApp, HealthEndpointPlugin.Register(new PluginCatalog()), context);
            return new LegacyApplication(pipeline, sessions, redis) { AppLimit = appLimit };
        }
        catch
        {
            redis?.Dispose();
            throw;
        }
    }

    /// <summary>Server options with a drain window.</summary>
    /// <remarks>
    /// Nothing here reports the start or the graceful stop to the health endpoint: the server puts
    /// <c>host.OnAppDisposing</c> in every request, and the health plugin reads both from it.
    /// </remarks>
    public static HttpListenerOwinServerOptions CreateServerOptions(IEnumerable<string> prefixes, TimeSpan drainDelay, ILogger logger)
    {
        var options = new HttpListenerOwinServerOptions
        {
            Logger = logger,
            DrainDelay = drainDelay,
        };
        foreach (var prefix in prefixes)
        {
            options.Prefixes.Add(prefix);
        }

        return options;
    }

    public async ValueTask DisposeAsync()
    {
        _pipeline.Dispose();
        if (_redis is not null)
        {
            await _redis.CloseAsync().ConfigureAwait(false);
            _redis.Dispose();
        }
    }

    private static TicketDatabase CreateDatabase(IConfiguration configuration, Dictionary<string, DbProviderFactory> providers)
    {
        var providerName = configuration["Database:Provider"] ?? "Sqlite";
        if (!providers.TryGetValue(providerName, out var provider))
        {
            throw new HealthEndpointConfigurationException("Database:Provider", $"Database:Provider '{providerName}' is not supported; use Sqlite, Npgsql or MySqlConnector.");
        }

        var connectionString = configuration["Database:ConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new HealthEndpointConfigurationException("Database:ConnectionString", "Database:ConnectionString must be set.");
        }

        if (provider is SqliteFactory)
        {
            // The default database is a file under the app's data folder, which may not exist yet.
            var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(folder) && file != ":memory:")
            {
                Directory.CreateDirectory(folder);
            }
        }

        return new TicketDatabase(provider, connectionString);
    }
}
