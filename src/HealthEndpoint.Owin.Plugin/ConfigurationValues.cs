using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace HealthEndpoint.Owin.Plugin;

/// <summary>The forms a setting's value takes, read one way for every key: a switch, a list, a duration.</summary>
internal static class ConfigurationValues
{
    /// <summary>What a true/false setting holds: unset can mean "follow another setting", and a typo is reported.</summary>
    public enum Switch
    {
        Unset,
        On,
        Off,
        Invalid,
    }

    private static readonly char[] ListSeparators = [';', ',', ' ', '\t'];

    /// <summary>The key's value; <see langword="null"/> when unset.</summary>
    public static string? Value(IConfiguration configuration, string key) => configuration.GetSection(key).Value;

    /// <summary>Reads a true/false/1/0 setting, case-insensitively.</summary>
    public static Switch Flag(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" => Switch.Unset,
        "TRUE" or "1" => Switch.On,
        "FALSE" or "0" => Switch.Off,
        _ => Switch.Invalid,
    };

    /// <summary>A list setting under <c>HealthEndpoint:</c>: a JSON array (entries as written), or one string <see cref="Split"/>.</summary>
    public static List<string> List(IConfiguration configuration, string setting)
    {
        var section = configuration.GetSection(HealthEndpointConfiguration.Section + ":" + setting);
        var entries = new List<string>();
        foreach (var child in section.GetChildren())
        {
            entries.Add(child.Value ?? string.Empty);
        }

        return entries.Count == 0 && section.Value is not null ? Split(section.Value) : entries;
    }

    /// <summary>The one rule for a list written as one string: entries separated by <c>;</c>, <c>,</c> or white space, trimmed, empty ones dropped.</summary>
    public static List<string> Split(string value) => new(value.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>A duration as <c>hh:mm:ss[.fff]</c>; <see langword="null"/> when unset or invalid (then reported).</summary>
    public static TimeSpan? Duration(IConfiguration configuration, string key, Action<string, string> add)
    {
        var value = Value(configuration, key);
        if (value is null)
        {
            return null;
        }

        // hh:mm:ss is required: TimeSpan formats read a bare "2" as two days, not two seconds.
        if (value.Contains(":") && TimeSpan.TryParseExact(value.Trim(), "c", CultureInfo.InvariantCulture, out var duration))
        {
            return duration;
        }

        add(key, $"must be a duration such as 00:00:02 or 00:00:00.500 (was '{value}').");
        return null;
    }
}
