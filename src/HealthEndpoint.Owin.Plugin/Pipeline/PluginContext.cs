using System;
using System.Collections.Generic;
using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthEndpoint.Owin.Plugin;

/// <summary>What a host hands each plugin it creates: its configuration, logging and shared objects.</summary>
public sealed class PluginContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="configuration">The host's configuration; plugins read their own keys from it.</param>
    /// <param name="loggerFactory">The host's logging; <see langword="null"/> discards log output.</param>
    /// <param name="services">
    /// Objects the app already has and plugins may reuse instead of creating their own, for example its
    /// StackExchange.Redis <c>IConnectionMultiplexer</c>; <see langword="null"/> when there are none.
    /// </param>
    public PluginContext(IConfiguration configuration, ILoggerFactory? loggerFactory = null, IServiceProvider? services = null)
    {
        Configuration = configuration ?? throw new ArgumentNullException(nameof(configuration));
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Services = services;
    }

    /// <summary>The host's configuration.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>The host's logging.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Objects the app shares with plugins, if any.</summary>
    public IServiceProvider? Services { get; }

    /// <summary>
    /// The ADO.NET providers the app uses, by the names its <c>Database:Provider</c> setting accepts
    /// (for example <c>Sqlite</c> and <c>Npgsql</c>). Names are matched case-insensitively.
    /// </summary>
    public IDictionary<string, DbProviderFactory> DatabaseProviders { get; } =
        new Dictionary<string, DbProviderFactory>(StringComparer.OrdinalIgnoreCase);
}
