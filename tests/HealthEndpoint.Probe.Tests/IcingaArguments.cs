using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace HealthEndpoint.Probe.Tests;

/// <summary>
/// The <c>arguments</c> dictionary of an Icinga 2 CheckCommand, in the ITL style: each entry a dictionary with
/// <c>value</c>, <c>description</c>, and optionally <c>skip_key</c>, <c>required</c> and <c>order</c>.
/// </summary>
/// <remarks>
/// Any other attribute (<c>set_if</c>, <c>repeat_key</c>, <c>key</c>, <c>separator</c>) fails the parse, so that a
/// recipe using one cannot be run here with a different meaning than Icinga gives it. Strings with escaped quotes
/// (<c>\"</c>) are not read correctly; the recipe has none.
/// </remarks>
internal sealed partial class IcingaArguments
{
    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal) { "value", "description", "skip_key", "required", "order" };

    private readonly List<Argument> _arguments;

    private IcingaArguments(List<Argument> arguments) => _arguments = arguments;

    /// <summary>Reads the <c>arguments = { ... }</c> block of a CheckCommand body (none: no arguments).</summary>
    public static IcingaArguments Parse(string checkCommandBody)
    {
        var arguments = new List<Argument>();
        foreach (Match entry in Entry().Matches(ArgumentsBlock(checkCommandBody)))
        {
            var attributes = Attribute().Matches(entry.Groups["body"].Value)
                .ToDictionary(match => match.Groups["name"].Value, match => match.Groups["value"].Value, StringComparer.Ordinal);
            var unsupported = attributes.Keys.Where(name => !Supported.Contains(name)).ToList();
            if (unsupported.Count > 0 || !attributes.TryGetValue("value", out var value))
            {
                throw new InvalidDataException($"argument '{entry.Groups["key"].Value}': needs a value and only {string.Join(", ", Supported)}; has {string.Join(", ", attributes.Keys)}");
            }

            arguments.Add(new Argument(
                entry.Groups["key"].Value,
                value.Trim('"'),
                attributes.GetValueOrDefault("skip_key") == "true",
                attributes.GetValueOrDefault("required") == "true",
                int.Parse(attributes.GetValueOrDefault("order") ?? "0", System.Globalization.CultureInfo.InvariantCulture)));
        }

        return new IcingaArguments(arguments);
    }

    /// <summary>
    /// The arguments Icinga appends to the command: keys in ordinal order (its dictionaries are sorted maps), then
    /// stably by <c>order</c>; <paramref name="resolve"/> returns <see langword="null"/> for a missing macro.
    /// </summary>
    public IEnumerable<string> CommandLine(Func<string, string?> resolve)
    {
        foreach (var argument in _arguments.OrderBy(argument => argument.Key, StringComparer.Ordinal).OrderBy(argument => argument.Order))
        {
            var value = resolve(argument.Value);
            if (value is null)
            {
                if (argument.Required)
                {
                    throw new InvalidDataException($"Non-optional macro used in argument '{argument.Key}' is missing.");
                }

                continue;
            }

            if (!argument.SkipKey)
            {
                yield return argument.Key;
            }

            yield return value;
        }
    }

    /// <summary>The text between the braces of <c>arguments = { ... }</c>, matched by counting braces outside strings.</summary>
    private static string ArgumentsBlock(string body)
    {
        var start = ArgumentsStart().Match(body);
        if (!start.Success)
        {
            return string.Empty;
        }

        var depth = 1;
        var quoted = false;
        for (var index = start.Index + start.Length; index < body.Length; index++)
        {
            quoted ^= body[index] == '"';
            depth += quoted ? 0 : body[index] switch { '{' => 1, '}' => -1, _ => 0 };
            if (depth == 0)
            {
                return body[(start.Index + start.Length)..index];
            }
        }

        throw new InvalidDataException("arguments = { is never closed");
    }

    private sealed record Argument(string Key, string Value, bool SkipKey, bool Required, int Order);

    [GeneratedRegex(@"^\s*arguments\s*=\s*\{", RegexOptions.Multiline)]
    private static partial Regex ArgumentsStart();

    // An entry's body: quoted strings (which may hold braces) and anything but braces.
    [GeneratedRegex(@"""(?<key>[^""]+)""\s*=\s*\{(?<body>(?:""[^""]*""|[^{}""])*)\}", RegexOptions.Singleline)]
    private static partial Regex Entry();

    [GeneratedRegex(@"^\s*(?<name>\w+)\s*=\s*(?<value>""[^""]*""|\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Attribute();
}
