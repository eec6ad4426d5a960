using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin.Plugin;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// The app as wrapped by the plugins of the <c>Plugins</c> setting, built once at startup: each
/// <see cref="IWrapPlugin"/> wraps the app built so far, so the <em>last</em> plugin listed is the outermost.
/// </summary>
public sealed class PluginPipeline : IDisposable
{
    /// <summary>The configuration key of the ordered plugin list.</summary>
    internal const string PluginsKey = "Plugins";

    private readonly IReadOnlyList<IPlugin> _plugins;

    private PluginPipeline(AppFunc app, IReadOnlyList<IPlugin> plugins)
    {
        App = app;
        _plugins = plugins;
    }

    /// <summary>The plugins used when <c>Plugins</c> is not set: just <c>HealthEndpoint</c>.</summary>
    internal static IReadOnlyList<string> DefaultPlugins { get; } = new[] { "HealthEndpoint" };

    /// <summary>The outermost app: what the server should run.</summary>
    public AppFunc App { get; }

    /// <summary>Builds the pipeline from the <c>Plugins</c> list in <paramref name="context"/>'s configuration.</summary>
    /// <param name="app">The legacy app, innermost.</param>
    /// <param name="catalog">The plugins the host knows.</param>
    /// <param name="context">Handed to every plugin as it is created.</param>
    /// <returns>The built pipeline; dispose it when the host stops.</returns>
    /// <exception cref="HealthEndpointConfigurationException">The list is malformed or names an unknown plugin.</exception>
    public static PluginPipeline Build(AppFunc app, PluginCatalog catalog, PluginContext context)
    {
        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        return Build(app, ReadPluginNames(context.Configuration), catalog, context);
    }

    /// <summary>Builds the pipeline from an explicit, ordered list of plugin names.</summary>
    /// <param name="app">The legacy app, innermost.</param>
    /// <param name="pluginNames">The plugins in list order; the last is outermost.</param>
    /// <param name="catalog">The plugins the host knows.</param>
    /// <param name="context">Handed to every plugin as it is created.</param>
    /// <returns>The built pipeline; dispose it when the host stops.</returns>
    /// <exception cref="HealthEndpointConfigurationException">A name is unknown or listed twice.</exception>
    internal static PluginPipeline Build(AppFunc app, IEnumerable<string> pluginNames, PluginCatalog catalog, PluginContext context)
    {
        if (app is null)
        {
            throw new ArgumentNullException(nameof(app));
        }

        if (pluginNames is null)
        {
            throw new ArgumentNullException(nameof(pluginNames));
        }

        if (catalog is null)
        {
            throw new ArgumentNullException(nameof(catalog));
        }

        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        var names = new List<string>(pluginNames);
        ValidateNames(names, catalog);

        var logger = context.LoggerFactory.CreateLogger(typeof(PluginPipeline).FullName!);
        var plugins = new List<IPlugin>(names.Count);
        try
        {
            foreach (var name in names)
            {
                var plugin = catalog.Create(name, context);
                plugins.Add(plugin);
                if (plugin is IWrapPlugin wrapper)
                {
                    app = wrapper.Wrap(app) ?? throw new InvalidOperationException($"Plugin '{name}' returned no app from Wrap.");
                    PipelineLog.Wrapped(logger, name);
                }
                else
                {
                    PipelineLog.Skipped(logger, name);
                }
            }
        }
        catch
        {
            // A later plugin failed: release what the earlier ones hold before the host gives up.
            DisposeAll(plugins);
            throw;
        }

        return new PluginPipeline(app, plugins);
    }

    /// <summary>Reads the ordered plugin list: a configuration array, or one string separated by ';', ',' or spaces.</summary>
    /// <param name="configuration">The host's configuration.</param>
    /// <returns>The names in list order; <see cref="DefaultPlugins"/> when the key is absent.</returns>
    /// <exception cref="HealthEndpointConfigurationException">An entry is empty or the array has gaps.</exception>
    internal static IReadOnlyList<string> ReadPluginNames(IConfiguration configuration)
    {
        if (configuration is null)
        {
            throw new ArgumentNullException(nameof(configuration));
        }

        var section = configuration.GetSection(PluginsKey);
        var entries = new List<IConfigurationSection>(section.GetChildren());
        if (entries.Count == 0)
        {
            return section.Value is null ? DefaultPlugins : ConfigurationValues.Split(section.Value);
        }

        var names = new List<string>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Key != i.ToString(CultureInfo.InvariantCulture))
            {
                throw new HealthEndpointConfigurationException(entry.Path, $"{entry.Path} is not part of a list: {PluginsKey} entries are numbered 0, 1, 2, ... without gaps.");
            }

            if (string.IsNullOrWhiteSpace(entry.Value))
            {
                throw new HealthEndpointConfigurationException(entry.Path, $"{entry.Path} is empty: name a plugin or remove the entry.");
            }

            names.Add(entry.Value!.Trim());
        }

        return names;
    }

    /// <summary>Disposes every plugin that holds resources, outermost first.</summary>
    public void Dispose() => DisposeAll(_plugins);

    private static void ValidateNames(List<string> names, PluginCatalog catalog)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            if (!catalog.Contains(name))
            {
                throw new HealthEndpointConfigurationException(PluginsKey, $"{PluginsKey} names an unknown plugin '{name}'. Known plugins: {string.Join(", ", catalog.Names)}.");
            }

            if (!seen.Add(name))
            {
                throw new HealthEndpointConfigurationException(PluginsKey, $"{PluginsKey} lists '{name}' more than once.");
            }
        }
    }

    private static void DisposeAll(IReadOnlyList<IPlugin> plugins)
    {
        for (var i = plugins.Count - 1; i >= 0; i--)
        {
            (plugins[i] as IDisposable)?.Dispose();
        }
    }
}
