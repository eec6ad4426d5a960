using System;
using System.Collections.Generic;
using Microsoft.Extensions.Configuration;

namespace HealthEndpoint.Owin.Plugin;

/// <summary>
/// Reads the Kubernetes-style probe paths, the per-check paths, the probe queries, health+json and the allowlist:
/// every one off when unset, so that the default answers stay as they are.
/// </summary>
/// <remarks>
/// Keys: <c>HealthEndpoint:LivePath</c>, <c>:ReadyPath</c>, <c>:StartupPath</c> (a path turns the probe on; unset
/// or empty = off), <c>:PerCheckPaths</c>, <c>:ProbeQueries</c>, <c>:HealthJson</c> (true, false, 1, 0, unset = false),
/// and <c>:AllowedNetworks</c>, <c>:TrustedProxies</c> (CIDR lists: a JSON array, or one string separated by <c>;</c>,
/// <c>,</c> or spaces; unset = everyone allowed).
/// </remarks>
internal static class ProbeAndAccessSettings
{
    private const string Section = HealthEndpointConfiguration.Section + ":";

    public static void Read(IConfiguration configuration, HealthEndpointOptions options, Action<string, string> add)
    {
        options.LivePath = Path(configuration, nameof(options.LivePath));
        options.ReadyPath = Path(configuration, nameof(options.ReadyPath));
        options.StartupPath = Path(configuration, nameof(options.StartupPath));
        options.PerCheckPaths = IsOn(configuration, nameof(options.PerCheckPaths), add);
        options.ProbeQueries = IsOn(configuration, nameof(options.ProbeQueries), add);
        options.HealthJson = IsOn(configuration, nameof(options.HealthJson), add);
        AddAll(options.AllowedNetworks, ConfigurationValues.List(configuration, nameof(options.AllowedNetworks)));
        AddAll(options.TrustedProxies, ConfigurationValues.List(configuration, nameof(options.TrustedProxies)));
    }

    private static void AddAll(ICollection<string> target, List<string> entries)
    {
        foreach (var entry in entries)
        {
            target.Add(entry.Trim());
        }
    }

    private static string? Path(IConfiguration configuration, string setting)
    {
        var value = ConfigurationValues.Value(configuration, Section + setting);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static bool IsOn(IConfiguration configuration, string setting, Action<string, string> add)
    {
        var key = Section + setting;
        switch (ConfigurationValues.Flag(ConfigurationValues.Value(configuration, key)))
        {
            case ConfigurationValues.Switch.On:
                return true;
            case ConfigurationValues.Switch.Invalid:
                add(key, "must be true or false.");
                return false;
            default:
                return false;
        }
    }
}
