using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HealthEndpoint.Probe.Tests;

/// <summary>
/// Reads the command lines out of the recipes' code blocks (docs/recipes/*.md), so that what the documentation
/// shows is exactly what the tests run.
/// </summary>
internal static class RecipeMarkdown
{
    private static readonly Regex Macro = new(@"\$(\w+)\$", RegexOptions.CultureInvariant);
    private static readonly Regex QuotedString = new("\"([^\"]*)\"", RegexOptions.CultureInvariant);
    private static readonly Regex Vars = new(@"^\s*vars\.(\w+)\s*=\s*""([^""]*)""", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>The bodies of every fenced code block tagged <paramref name="language"/>.</summary>
    public static IReadOnlyList<string> CodeBlocks(string fileName, string language)
    {
        var markdown = File.ReadAllText(RepositoryPaths.Recipe(fileName)).Replace("\r\n", "\n", StringComparison.Ordinal);
        var pattern = new Regex($@"^```{Regex.Escape(language)}\n(.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline | RegexOptions.CultureInvariant);
        return pattern.Matches(markdown).Select(match => match.Groups[1].Value).ToList();
    }

    /// <summary>The exec-form <c>CMD</c> array of the one <c>HEALTHCHECK</c> instruction in the dockerfile blocks.</summary>
    public static string[] DockerHealthcheck(string fileName)
    {
        var instructions = CodeBlocks(fileName, "dockerfile")
            .SelectMany(block => block.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
            .Where(line => line.StartsWith("HEALTHCHECK ", StringComparison.Ordinal))
            .ToList();
        Assert.That(instructions, Has.Count.EqualTo(1), "exactly one HEALTHCHECK in " + fileName);
        var command = instructions[0][(instructions[0].IndexOf(" CMD ", StringComparison.Ordinal) + 5)..];
        return JsonSerializer.Deserialize<string[]>(command) ?? throw new InvalidDataException("CMD is not a JSON array: " + command);
    }

    /// <summary>
    /// Each <c>apply Service</c> of the one <c>icinga2</c> block, as the command line Icinga would run: the
    /// CheckCommand's <c>command</c> array, then its <c>arguments</c> as Icinga 2.13's
    /// <c>MacroProcessor::ResolveArguments</c> builds them — in key order, then stably by <c>order</c>; an argument
    /// whose macro is unset or empty is left off (a <c>required</c> one fails); <c>skip_key</c> drops the key — with
    /// <c>$macros$</c> resolved from the service's vars, then the command's vars, then <c>address</c> =
    /// <paramref name="hostAddress"/>; recursively, as Icinga does.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> IcingaServices(string fileName, string hostAddress)
    {
        var blocks = CodeBlocks(fileName, "icinga2");
        Assert.That(blocks, Has.Count.EqualTo(1), "exactly one icinga2 block in " + fileName);
        var checkCommand = Regex.Match(blocks[0], @"object CheckCommand ""([^""]+)"" \{\n(.*?)\n\}", RegexOptions.Singleline);
        Assert.That(checkCommand.Success, Is.True, "an object CheckCommand");
        var command = Regex.Match(checkCommand.Groups[2].Value, @"command\s*=\s*\[(.*?)\]", RegexOptions.Singleline);
        var commandLine = QuotedString.Matches(command.Groups[1].Value).Select(match => match.Groups[1].Value).ToArray();
        var arguments = IcingaArguments.Parse(checkCommand.Groups[2].Value);
        var commandVars = ReadVars(checkCommand.Groups[2].Value);

        var services = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (Match service in Regex.Matches(blocks[0], @"apply Service ""([^""]+)"" \{\n(.*?)\n\}", RegexOptions.Singleline))
        {
            Assert.That(service.Groups[2].Value, Does.Contain($"check_command = \"{checkCommand.Groups[1].Value}\""));
            var vars = new Dictionary<string, string>(commandVars, StringComparer.Ordinal) { ["address"] = hostAddress };
            foreach (var (name, value) in ReadVars(service.Groups[2].Value))
            {
                vars[name] = value;
            }

            services[service.Groups[1].Value] =
                [.. commandLine.Select(argument => Resolve(argument, vars, depth: 0)!), .. arguments.CommandLine(text => Resolve(text, vars, depth: 0))];
        }

        return services;
    }

    private static Dictionary<string, string> ReadVars(string text) =>
        Vars.Matches(text).ToDictionary(match => match.Groups[1].Value, match => match.Groups[2].Value, StringComparer.Ordinal);

    /// <summary>Resolves every <c>$macro$</c>; <see langword="null"/> when one is unset or empty (Icinga's "missing macro").</summary>
    private static string? Resolve(string text, IReadOnlyDictionary<string, string> vars, int depth)
    {
        Assert.That(depth, Is.LessThan(10), "macro recursion in " + text);
        var missing = false;
        var resolved = Macro.Replace(text, match =>
        {
            var value = vars.TryGetValue(match.Groups[1].Value, out var found) ? Resolve(found, vars, depth + 1) : null;
            missing |= string.IsNullOrEmpty(value);
            return value ?? string.Empty;
        });
        return missing ? null : resolved;
    }
}
