using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Recipes.Tests;

/// <summary>
/// An Icinga 2 Service that uses the ITL <c>http</c> CheckCommand, read from a recipe, and the check_http
/// command line Icinga would run for it.
/// </summary>
internal sealed partial class IcingaServiceDefinition
{
    // From the ITL's object CheckCommand "http" (icinga2-common 2.13.6, command-plugins.conf): variable → argument.
    private static readonly (string Variable, string Argument)[] ItlHttpArguments =
    [
        ("http_vhost", "-H"), ("http_address", "-I"), ("http_uri", "-u"), ("http_port", "-p"),
        ("http_expect", "-e"), ("http_string", "-s"), ("http_timeout", "-t"),
    ];

    private IcingaServiceDefinition(string name, IReadOnlyDictionary<string, string> variables)
    {
        Name = name;
        Variables = variables;
    }

    /// <summary>The Service's name.</summary>
    public string Name { get; }

    /// <summary>Its <c>vars.http_*</c> values (strings unescaped), with <c>http_address</c> defaulted to the host's address.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; }

    /// <summary>Finds <c>object Service "<paramref name="name"/>"</c> and its host in <paramref name="config"/>.</summary>
    public static IcingaServiceDefinition Parse(string config, string name)
    {
        var service = ObjectBody(config, "Service", name);
        if (!service.Contains("check_command = \"http\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Service '{name}' does not use the ITL http CheckCommand.");
        }

        var variables = Assignments(service)
            .Where(assignment => assignment.Key.StartsWith("vars.http_", StringComparison.Ordinal))
            .ToDictionary(assignment => assignment.Key["vars.".Length..], assignment => assignment.Value, StringComparer.Ordinal);
        if (!variables.ContainsKey("http_address"))
        {
            // The ITL default: vars.http_address = "$check_address$", i.e. the host's address.
            var host = ObjectBody(config, "Host", Assignments(service)["host_name"]);
            variables["http_address"] = Assignments(host)["address"];
        }

        var unknown = variables.Keys.Except(ItlHttpArguments.Select(pair => pair.Variable)).ToList();
        return unknown.Count == 0
            ? new IcingaServiceDefinition(name, variables)
            : throw new InvalidOperationException($"Service '{name}' uses {string.Join(", ", unknown)}, which this check does not map.");
    }

    /// <summary>The check_http arguments, in the ITL's argument order, after <paramref name="substitute"/> per value.</summary>
    public IReadOnlyList<string> CheckHttpArguments(Func<string, string, string> substitute) =>
        ItlHttpArguments
            .Where(pair => Variables.ContainsKey(pair.Variable))
            .SelectMany(pair => new[] { pair.Argument, substitute(pair.Variable, Variables[pair.Variable]) })
            .ToList();

    private static string ObjectBody(string config, string type, string name)
    {
        var start = config.IndexOf($"object {type} \"{name}\" {{", StringComparison.Ordinal);
        var end = start < 0 ? -1 : config.IndexOf("\n}", start, StringComparison.Ordinal);
        return end > start ? config[start..end] : throw new InvalidOperationException($"No object {type} \"{name}\" in the recipe.");
    }

    private static Dictionary<string, string> Assignments(string body) =>
        Assignment().Matches(body).ToDictionary(
            match => match.Groups["key"].Value,
            match => match.Groups["string"].Success ? Unescape(match.Groups["string"].Value) : match.Groups["bare"].Value,
            StringComparer.Ordinal);

    private static string Unescape(string value)
    {
        var text = new StringBuilder(value.Length);
        for (var index = 0; index < value.Length; index++)
        {
            text.Append(value[index] == '\\' && index + 1 < value.Length ? value[++index] : value[index]);
        }

        return text.ToString();
    }

    // key = "string with \" escapes"   or   key = bare-value (numbers, durations, booleans)
    [GeneratedRegex(@"^\s*(?<key>[\w.]+)\s*=\s*(?:""(?<string>(?:[^""\\]|\\.)*)""|(?<bare>[^\s/]+))", RegexOptions.Multiline)]
    private static partial Regex Assignment();
}
