using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Prometheus;
using HealthEndpoint.Owin.Redis;

namespace HealthEndpoint.Owin.Plugin;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// What <see cref="HealthEndpointPlugin"/> creates for a pipeline: the options read from configuration, the
/// middleware that wraps the app with them, and the Redis connection and metrics page it opened itself.
/// </summary>
internal sealed class ConfiguredHealthEndpoint : IWrapPlugin, IDisposable
{
    private readonly HealthEndpointOptions _options;
    private readonly RedisHealthCheck? _ownedRedisCheck;
    private readonly PrometheusMetricsPage? _ownedMetricsPage;

    /// <summary>Reads the options from the host's configuration, then lets the app add to them.</summary>
    /// <exception cref="HealthEndpointConfigurationException">A setting is invalid; the message names every such key.</exception>
    public ConfiguredHealthEndpoint(PluginContext context, Action<HealthEndpointOptions>? configure = null)
    {
        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        (_options, _ownedRedisCheck, _ownedMetricsPage) = HealthEndpointConfiguration.Read(context, configure);
    }

    public AppFunc Wrap(AppFunc app) => HealthEndpointMiddleware.Wrap(app, _options);

    /// <summary>Closes the Redis connection this plugin opened itself, if any, and stops its metrics page listening.</summary>
    public void Dispose()
    {
        _ownedRedisCheck?.Dispose();
        _ownedMetricsPage?.Dispose();
    }
}
