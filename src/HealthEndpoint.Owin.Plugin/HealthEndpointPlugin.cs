using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Owin.HealthEndpoint.Redis;

namespace Owin.HealthEndpoint.Plugin;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// The <c>HealthEndpoint</c> plugin: reads its settings from the host's configuration and wraps the app so
/// that the ping and status paths are answered in front of it.
/// </summary>
/// <remarks>List it last in <c>Plugins</c> to make it outermost, so probes never reach any other plugin.</remarks>
public sealed class HealthEndpointPlugin : IWrapPlugin, IDisposable
{
    /// <summary>The name the <c>Plugins</c> setting uses for this plugin.</summary>
    public const string Name = "HealthEndpoint";

    private readonly HealthEndpointOptions _options;
    private readonly RedisHealthCheck? _ownedRedisCheck;

    /// <summary>Creates the plugin from the host's configuration.</summary>
    /// <param name="context">The host's configuration, logging, database providers and shared objects.</param>
    /// <exception cref="HealthEndpointConfigurationException">A setting is invalid; the message names every such key.</exception>
    public HealthEndpointPlugin(PluginContext context)
    {
        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        (_options, _ownedRedisCheck) = HealthEndpointConfiguration.Read(context);
    }

    /// <summary>Registers this plugin under <see cref="Name"/>.</summary>
    /// <param name="catalog">The host's plugin catalog.</param>
    /// <returns>The same catalog, for chaining.</returns>
    public static PluginCatalog Register(PluginCatalog catalog)
    {
        if (catalog is null)
        {
            throw new ArgumentNullException(nameof(catalog));
        }

        return catalog.Add(Name, context => new HealthEndpointPlugin(context));
    }

    /// <inheritdoc />
    public AppFunc Wrap(AppFunc app) => HealthEndpoint.Wrap(app, _options);

    /// <summary>Closes the Redis connection this plugin opened itself, if any.</summary>
    public void Dispose() => _ownedRedisCheck?.Dispose();
}
