using System;
using System.Collections.Generic;

namespace HealthEndpoint.Owin.Plugin;

/// <summary>The plugins a host knows by name, and how to create each one.</summary>
/// <remarks>Names are matched case-insensitively, like configuration keys.</remarks>
public sealed class PluginCatalog
{
    private readonly Dictionary<string, Func<PluginContext, IPlugin>> _factories =
        new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The registered names, sorted.</summary>
    internal IReadOnlyList<string> Names
    {
        get
        {
            var names = new List<string>(_factories.Keys);
            names.Sort(StringComparer.OrdinalIgnoreCase);
            return names;
        }
    }

    /// <summary>Registers a plugin.</summary>
    /// <param name="name">The name the <c>Plugins</c> setting uses for it.</param>
    /// <param name="factory">Creates the plugin; usually an <see cref="IWrapPlugin"/>.</param>
    /// <returns>This catalog, for chaining.</returns>
    public PluginCatalog Add(string name, Func<PluginContext, IPlugin> factory)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A plugin needs a name.", nameof(name));
        }

        if (factory is null)
        {
            throw new ArgumentNullException(nameof(factory));
        }

        if (_factories.ContainsKey(name))
        {
            throw new ArgumentException($"A plugin named '{name}' is already registered.", nameof(name));
        }

        _factories.Add(name, factory);
        return this;
    }

    /// <summary>True when a plugin of this name is registered.</summary>
    /// <param name="name">The name to look up.</param>
    /// <returns>Whether <see cref="Add"/> was called with that name.</returns>
    internal bool Contains(string name) => _factories.ContainsKey(name);

    internal IPlugin Create(string name, PluginContext context) =>
        _factories[name](context) ?? throw new InvalidOperationException($"The factory of plugin '{name}' returned null.");
}
