using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Prometheus;
using HealthEndpoint.Owin.Redis;

namespace HealthEndpoint.Owin.Plugin;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// The <c>HealthEndpoint</c> plugin: reads its settings from the host's configuration and wraps the app so
/// that the ping and status paths are answered in front of it.
/// </summary>
/// <remarks>
/// List it last in <c>Plugins</c> to make it outermost, so probes never reach any other plugin. Custom checks
/// come from code, not configuration: register the plugin with
/// <see cref="Register(PluginCatalog, Action{HealthEndpointOptions})"/> and add them to
/// <see cref="HealthEndpointOptions.Checks"/> there.
/// </remarks>
public sealed class HealthEndpointPlugin : IWrapPlugin, IDisposable
{
    /// <summary>The name the <c>Plugins</c> setting uses for this plugin.</summary>
    public const string Name = "HealthEndpoint";

    private readonly HealthEndpointOptions _options;
    private readonly RedisHealthCheck? _ownedRedisCheck;
    private readonly PrometheusMetricsPage? _ownedMetricsPage;

    /// <summary>Creates the plugin from the host's configuration, then lets the app add to the options.</summary>
    /// <param name="context">The host's configuration, logging, database providers and shared objects.</param>
    /// <param name="configure">
    /// Called with the options read from configuration, before they are validated: the place to add custom checks
    /// (<c>options.Checks.Add(new NamedHealthCheck("queue", CheckQueueAsync))</c>). What it sets wins over
    /// configuration; its mistakes are reported with the configuration's (<c>HealthEndpoint:Checks ...</c>).
    /// <see langword="null"/> = nothing to add.
    /// </param>
    /// <exception cref="HealthEndpointConfigurationException">A setting is invalid; the message names every such key.</exception>
    public HealthEndpointPlugin(PluginContext context, Action<HealthEndpointOptions>? configure = null)
    {
        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        (_options, _ownedRedisCheck, _ownedMetricsPage) = HealthEndpointConfiguration.Read(context, configure);
    }

    /// <summary>Registers this plugin under <see cref="Name"/>, with the app's own additions to its options.</summary>
    /// <param name="catalog">The host's plugin catalog.</param>
    /// <param name="configure">
    /// Adds custom checks (see <see cref="HealthEndpointPlugin(PluginContext, Action{HealthEndpointOptions})"/>);
    /// <see langword="null"/> = nothing to add.
    /// </param>
    /// <returns>The same catalog, for chaining.</returns>
    public static PluginCatalog Register(PluginCatalog catalog, Action<HealthEndpointOptions>? configure = null)
    {
        if (catalog is null)
        {
            throw new ArgumentNullException(nameof(catalog));
        }

        return catalog.Add(Name, context => new HealthEndpointPlugin(context, configure));
    }

    /// <inheritdoc />
    public AppFunc Wrap(AppFunc app) => HealthEndpointMiddleware.Wrap(app, _options);

    /// <summary>Closes the Redis connection this plugin opened itself, if any, and stops its metrics page listening.</summary>
    public void Dispose()
    {
        _ownedRedisCheck?.Dispose();
        _ownedMetricsPage?.Dispose();
    }
}
