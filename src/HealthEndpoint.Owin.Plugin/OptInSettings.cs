using System;
using System.Collections.Generic;
using Microsoft.Extensions.Configuration;

namespace HealthEndpoint.Owin.Plugin;

/// <summary>Reads the opt-in settings (Kubernetes-style paths, health+json, allowlist), all off when unset, so that the default answers stay as it is.</summary>
/// <remarks>
/// Keys: <c>HealthEndpoint:LivePath</c>, <c>:ReadyPath</c>, <c>:StartupPath</c> (a path turns the probe on; unset
/// or empty = off), <c>:PerCheckPaths</c>, <c>:ProbeQueries</c>, <c>:HealthJson</c> (true, false, 1, 0, unset = false),
/// and <c>:AllowedNetworks</c>, <c>:TrustedProxies</c> (CIDR lists: a JSON array, or one string separated by <c>;</c>,
/// <c>,</c> or spaces; unset = everyone allowed).
/// </remarks>
internal static class OptInSettings
{
    /// <summary>What a true/false setting holds: unset can mean "follow another setting", and a typo is reported.</summary>
    public enum Switch
    {
        Unset,
        On,
        Off,
        Invalid,
    }

    private const string Section = HealthEndpointConfiguration.Section + ":";
    private static readonly char[] ListSeparators = [';', ',', ' '];

    public static void Read(IConfiguration configuration, HealthEndpointOptions options, Action<string, string> add)
    {
        options.LivePath = Path(configuration, nameof(options.LivePath));
        options.ReadyPath = Path(configuration, nameof(options.ReadyPath));
        options.StartupPath = Path(configuration, nameof(options.StartupPath));
        options.PerCheckPaths = IsOn(configuration, nameof(options.PerCheckPaths), add);
        options.ProbeQueries = IsOn(configuration, nameof(options.ProbeQueries), add);
        options.HealthJson = IsOn(configuration, nameof(options.HealthJson), add);
        AddAll(options.AllowedNetworks, List(configuration, nameof(options.AllowedNetworks)));
        AddAll(options.TrustedProxies, List(configuration, nameof(options.TrustedProxies)));
    }

    /// <summary>Reads a true/false/1/0 setting, case-insensitively.</summary>
    public static Switch Flag(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" => Switch.Unset,
        "TRUE" or "1" => Switch.On,
        "FALSE" or "0" => Switch.Off,
        _ => Switch.Invalid,
    };

    /// <summary>A list setting under <c>HealthEndpoint:</c>: a JSON array, or one string split at <c>;</c>, <c>,</c> or spaces.</summary>
    public static List<string> List(IConfiguration configuration, string setting)
    {
        var section = configuration.GetSection(Section + setting);
        var entries = new List<string>();
        foreach (var child in section.GetChildren())
        {
            entries.Add(child.Value ?? string.Empty);
        }

        if (entries.Count == 0 && section.Value is not null)
        {
            entries.AddRange(section.Value.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries));
        }

        return entries;
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
        var value = HealthEndpointConfiguration.Value(configuration, Section + setting);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static bool IsOn(IConfiguration configuration, string setting, Action<string, string> add)
    {
        var key = Section + setting;
        switch (Flag(HealthEndpointConfiguration.Value(configuration, key)))
        {
            case Switch.On:
                return true;
            case Switch.Invalid:
                add(key, "must be true or false.");
                return false;
            default:
                return false;
        }
    }
}
