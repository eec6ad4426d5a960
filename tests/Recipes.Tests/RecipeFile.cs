using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;

namespace Recipes.Tests;

/// <summary>
/// The configuration blocks of one <c>docs/recipes/*.md</c> file: each fenced code block right after an
/// <c>&lt;!-- recipe: name --&gt;</c> comment, so that the tests run exactly what the documentation shows.
/// </summary>
internal sealed partial class RecipeFile
{
    private readonly Dictionary<string, string> _blocks;

    private RecipeFile(string path, Dictionary<string, string> blocks)
    {
        Path = path;
        _blocks = blocks;
    }

    /// <summary>The markdown file's full path.</summary>
    public string Path { get; }

    /// <summary>Reads <c>docs/recipes/<paramref name="fileName"/></c> of this repository.</summary>
    public static RecipeFile Load(string fileName)
    {
        var path = System.IO.Path.Combine(RepositoryRoot(), "docs", "recipes", fileName);
        var blocks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in MarkedBlock().Matches(File.ReadAllText(path).ReplaceLineEndings("\n")))
        {
            var name = match.Groups["name"].Value;
            if (!blocks.TryAdd(name, match.Groups["body"].Value))
            {
                throw new InvalidOperationException($"{path} marks two blocks as '{name}'.");
            }
        }

        return new RecipeFile(path, blocks);
    }

    /// <summary>The text of the block marked <paramref name="name"/>, as a <see cref="RecipeText"/> to substitute in.</summary>
    public RecipeText Block(string name) => _blocks.TryGetValue(name, out var body)
        ? new RecipeText(name, body)
        : throw new InvalidOperationException($"{Path} has no block marked <!-- recipe: {name} -->.");

    /// <summary>The folder holding HealthEndpoint.Owin.sln, found upwards from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "HealthEndpoint.Owin.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("HealthEndpoint.Owin.sln not found above the test binaries.");
    }

    // The marker comment, optional blank lines, then a ``` fence with any info string, up to the closing fence.
    [GeneratedRegex(@"<!--\s*recipe:\s*(?<name>[^\s]+)\s*-->\s*\n(?:[ \t]*\n)*```[^\n]*\n(?<body>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex MarkedBlock();
}

/// <summary>A recipe block being turned into a runnable file by replacing its documented placeholders.</summary>
internal sealed class RecipeText
{
    private readonly string _name;

    public RecipeText(string name, string text)
    {
        _name = name;
        Text = text;
    }

    /// <summary>The current text.</summary>
    public string Text { get; private set; }

    /// <summary>
    /// Replaces every occurrence of <paramref name="placeholder"/>; throws when there is none, so that a recipe
    /// edited away from its documented placeholders fails the check instead of running unchanged.
    /// </summary>
    public RecipeText Replace(string placeholder, string value)
    {
        if (!Text.Contains(placeholder, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Recipe block '{_name}' no longer contains the placeholder '{placeholder}'.");
        }

        Text = Text.Replace(placeholder, value, StringComparison.Ordinal);
        return this;
    }

    /// <summary>Writes the text to <paramref name="path"/> and returns the path.</summary>
    public string WriteTo(string path)
    {
        File.WriteAllText(path, Text);
        return path;
    }
}
