using System;

namespace HealthEndpoint.Owin.Plugin;

/// <summary>
/// The <c>HealthEndpoint</c> plugin: reads its settings from the host's configuration and wraps the app so
/// that the ping and status paths are answered in front of it.
/// </summary>
/// <remarks>
/// List it last in <c>Plugins</c> to make it outermost, so probes never reach any other plugin. Custom checks
/// come from code, not configuration: register the plugin with
/// <see cref="Register(PluginCatalog, Action{HealthEndpointOptions})"/> and add them to
/// <see cref="HealthEndpointOptions.Checks"/> there. A host that puts no <c>host.OnAppDisposing</c> in its requests
/// takes <see cref="HealthEndpointOptions.Lifecycle"/> there too, to report its start and graceful stop.
/// </remarks>
public static class HealthEndpointPlugin
{
    /// <summary>The name the <c>Plugins</c> setting uses for this plugin.</summary>
    public const string Name = "HealthEndpoint";

    /// <summary>Registers this plugin under <see cref="Name"/>, with the app's own additions to its options.</summary>
    /// <param name="catalog">The host's plugin catalog.</param>
    /// <param name="configure">
    /// Called with the options read from configuration, before they are validated: the place to add custom checks
    /// (<c>options.Checks.Add(new NamedHealthCheck("queue", CheckQueueAsync))</c>) and to take
    /// <see cref="HealthEndpointOptions.Lifecycle"/>. What it sets wins over configuration; its mistakes are reported
    /// with the configuration's (<c>HealthEndpoint:Checks ...</c>). <see langword="null"/> = nothing to add.
    /// </param>
    /// <returns>The same catalog, for chaining.</returns>
    public static PluginCatalog Register(PluginCatalog catalog, Action<HealthEndpointOptions>? configure = null)
    {
        if (catalog is null)
        {
            throw new ArgumentNullException(nameof(catalog));
        }

        return catalog.Add(Name, context => new ConfiguredHealthEndpoint(context, configure));
    }
}
