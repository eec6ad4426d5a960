using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>
/// The tables a user looks things up in, compared with the code: what each table lists, what the code has, and the
/// difference both ways. Each check takes the document's text, so a control can hand it a copy with a row removed.
/// </summary>
internal static partial class DocTables
{
    /// <summary>The backticked names in the first column of the first table under the heading <paramref name="heading"/>.</summary>
    public static List<string> FirstColumnNames(string markdown, string heading)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var at = Array.IndexOf(lines, heading);
        if (at < 0)
        {
            throw new FormatException($"No heading '{heading}'.");
        }

        var names = new List<string>();
        var rows = lines.Skip(at + 1).SkipWhile(line => !line.StartsWith('|')).TakeWhile(line => line.StartsWith('|')).Skip(2);
        foreach (var row in rows)
        {
            var cell = row.Split('|')[1];
            names.AddRange(Backticked().Matches(cell).Select(match => match.Groups[1].Value));
        }

        return names;
    }

    /// <summary>Differences between a table and the code, as messages ("missing from the table: X", "listed but gone: Y").</summary>
    public static List<string> Compare(IEnumerable<string> listed, IEnumerable<string> actual)
    {
        var inTable = listed.ToHashSet(StringComparer.Ordinal);
        var inCode = actual.ToHashSet(StringComparer.Ordinal);
        return inCode.Except(inTable).Order(StringComparer.Ordinal).Select(name => "missing from the table: " + name)
            .Concat(inTable.Except(inCode).Order(StringComparer.Ordinal).Select(name => "listed but gone: " + name))
            .ToList();
    }

    // ---- HealthEndpointOptions (README.md, "## Options") ----

    public static IEnumerable<string> OptionProperties() =>
        typeof(HealthEndpointOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(property => property.Name);

    public static List<string> OptionProblems(string readme) =>
        Compare(FirstColumnNames(readme, "## Options"), OptionProperties());

    // ---- The plugin's configuration keys (docs/plugins.md, "## Configuration keys") ----

    /// <summary>The files whose keys the plugin reads.</summary>
    public static readonly string[] ConfigurationSources =
    [
        "src/HealthEndpoint.Owin.Plugin/HealthEndpointConfiguration.cs",
        "src/HealthEndpoint.Owin.Plugin/ProbeAndAccessSettings.cs",
        "src/HealthEndpoint.Owin.Plugin/MetricsSettings.cs",
        "src/HealthEndpoint.Owin.Plugin/Pipeline/PluginPipeline.cs",
    ];

    /// <summary>
    /// The keys the plugin reads, from its source: key constants (<c>"Database:Provider"</c>,
    /// <c>Section + ":CheckRedis"</c>, <c>... + nameof(HealthEndpointOptions.MetricsPath)</c>), <c>Section + ":PingPath"</c>
    /// arguments, and ProbeAndAccessSettings' and ConfigurationValues' <c>Path/IsOn/List(configuration, nameof(options.X))</c> and <c>List(configuration, "X")</c>.
    /// </summary>
    public static SortedSet<string> ConfigurationKeysInCode()
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in ConfigurationSources)
        {
            var source = File.ReadAllText(Path.Combine(Documents.RepositoryRoot, file));
            foreach (Match constant in KeyConstant().Matches(source))
            {
                keys.Add(Evaluate(constant.Groups["expression"].Value));
            }

            foreach (Match read in SectionRead().Matches(source))
            {
                keys.Add("HealthEndpoint:" + read.Groups["name"].Value);
            }

            foreach (Match read in OptInRead().Matches(source))
            {
                keys.Add("HealthEndpoint:" + (read.Groups["property"].Success ? read.Groups["property"].Value : read.Groups["literal"].Value));
            }
        }

        return keys;
    }

    /// <summary>The keys in the table; <c>`:ReadyPath`</c> after <c>`HealthEndpoint:LivePath`</c> is <c>HealthEndpoint:ReadyPath</c>.</summary>
    public static List<string> ConfigurationKeysInTable(string plugins)
    {
        var keys = new List<string>();
        var prefix = string.Empty;
        foreach (var name in FirstColumnNames(plugins, "## Configuration keys"))
        {
            if (name.StartsWith(':'))
            {
                keys.Add(prefix + name[1..]);
            }
            else
            {
                keys.Add(name);
                prefix = name.Contains(':') ? name[..(name.LastIndexOf(':') + 1)] : string.Empty;
            }
        }

        return keys;
    }

    public static List<string> ConfigurationKeyProblems(string plugins) =>
        Compare(ConfigurationKeysInTable(plugins), ConfigurationKeysInCode());

    // ---- The probe tool's flags (docs/probe-tool.md, "## Flags") ----

    /// <summary>The flags the probe's parser accepts (ProbeArguments.cs) and its help lists (HelpText.cs).</summary>
    public static SortedSet<string> ProbeFlagsInCode()
    {
        var flags = new SortedSet<string>(StringComparer.Ordinal);
        var arguments = File.ReadAllText(Path.Combine(Documents.RepositoryRoot, "src/HealthEndpoint.Probe/ProbeArguments.cs"));
        foreach (var line in arguments.Split('\n').Where(line => line.Contains("case ", StringComparison.Ordinal) || line.Contains("Names = [", StringComparison.Ordinal)))
        {
            flags.UnionWith(QuotedFlag().Matches(line).Select(match => match.Groups[1].Value));
        }

        var help = File.ReadAllText(Path.Combine(Documents.RepositoryRoot, "src/HealthEndpoint.Probe/HelpText.cs"));
        var options = help[help.IndexOf("Options:", StringComparison.Ordinal)..];
        foreach (var line in options.Split('\n'))
        {
            var usage = line.Trim();
            if (usage.StartsWith('-'))
            {
                flags.UnionWith(HelpFlag().Matches(usage.Split("  ")[0]).Select(match => match.Value));
            }
        }

        return flags;
    }

    public static List<string> ProbeFlagProblems(string probeTool) =>
        Compare(FirstColumnNames(probeTool, "## Flags").Where(name => name.StartsWith('-')), ProbeFlagsInCode());

    // ---- Log event ids (docs/observability.md, "## Logs") ----

    /// <summary>Every <c>new EventId(id, "Name")</c> under src/, as "id Name".</summary>
    public static SortedSet<string> EventsInCode()
    {
        var events = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Documents.RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories))
        {
            foreach (Match definition in EventDefinition().Matches(File.ReadAllText(file)))
            {
                events.Add(definition.Groups["id"].Value + " " + definition.Groups["name"].Value);
            }
        }

        return events;
    }

    /// <summary>The rows of the Logs table, as "id Name" (the id in the first column, the backticked name in the second).</summary>
    public static List<string> EventsInTable(string observability)
    {
        var lines = observability.Replace("\r\n", "\n").Split('\n');
        var at = Array.IndexOf(lines, "## Logs");
        if (at < 0)
        {
            throw new FormatException("No heading '## Logs'.");
        }

        return lines.Skip(at + 1).SkipWhile(line => !line.StartsWith('|')).TakeWhile(line => line.StartsWith('|')).Skip(2)
            .Select(row => row.Split('|'))
            .Select(cells => cells[1].Trim() + " " + Backticked().Match(cells[2]).Groups[1].Value)
            .ToList();
    }

    public static List<string> EventProblems(string observability) =>
        Compare(EventsInTable(observability), EventsInCode());

    private static string Evaluate(string expression) =>
        string.Concat(expression.Split('+').Select(part => part.Trim()).Select(part => part switch
        {
            "Section" or "HealthEndpointConfiguration.Section" => "HealthEndpoint",
            _ when part.StartsWith('"') => part.Trim('"'),
            _ when part.StartsWith("nameof(", StringComparison.Ordinal) => part[(part.LastIndexOf('.') + 1)..].TrimEnd(')'),
            _ => throw new FormatException($"Cannot read the key expression '{expression}'."),
        }));

    [GeneratedRegex("""new EventId\((?<id>\d+), "(?<name>\w+)"\)""")]
    private static partial Regex EventDefinition();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"const string \w*Key = (?<expression>[^;]+);")]
    private static partial Regex KeyConstant();

    [GeneratedRegex(@"\bSection \+ "":(?<name>\w+)""")]
    private static partial Regex SectionRead();

    [GeneratedRegex(@"\b(Path|IsOn|List)\(configuration, (nameof\(options\.(?<property>\w+)\)|""(?<literal>\w+)"")")]
    private static partial Regex OptInRead();

    [GeneratedRegex(@"""(-{1,2}[A-Za-z?][A-Za-z-]*)""")]
    private static partial Regex QuotedFlag();

    [GeneratedRegex(@"(?<![\w-])-{1,2}[A-Za-z?][\w-]*")]
    private static partial Regex HelpFlag();
}
