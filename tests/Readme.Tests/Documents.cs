using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>A fenced block of a document: where it starts, its fence's info string and its text.</summary>
/// <param name="Document">The document's full path.</param>
/// <param name="FirstLine">The 1-based line of the block's first line of content.</param>
/// <param name="Info">What follows the opening ``` (<c>csharp</c>, <c>csharp net472</c>, <c>csharp aspnetcore</c>, <c>bash runnable</c>).</param>
/// <param name="Text">The lines between the fences, joined with <c>\n</c>.</param>
/// <param name="Above">The lines between the previous block (or heading) and this one: the text that introduces it.</param>
internal sealed record DocumentBlock(string Document, int FirstLine, string Info, string Text, string Above)
{
    public string Language => Info.Split(' ', 2)[0];

    public bool IsCsharp => Language is "csharp" or "cs" or "c#";

    /// <summary>A .NET Framework block: compiled in a net472 project at the default C# 7.3.</summary>
    public bool IsFramework => IsCsharp && Info.Split(' ').Contains("net472");

    /// <summary>An ASP.NET Core block: a whole Program.cs, compiled in a fresh WebApplication (Web SDK) project.</summary>
    public bool IsAspNetCore => IsCsharp && Info.Split(' ').Contains("aspnetcore");

    public string Where => $"{Path.GetFileName(Document)}:{FirstLine}";
}

/// <summary>The documentation the tests read: README.md, CONTRIBUTING.md, docs/**/*.md and the packages' READMEs, read independently of the build.</summary>
internal static partial class Documents
{
    public static string RepositoryRoot => Metadata("RepositoryRoot");

    public static string Readme => Path.Combine(RepositoryRoot, "README.md");

    /// <summary>Every document, in ordinal order of its full path (the order the build extracts them in).</summary>
    public static IReadOnlyList<string> All() =>
        new[] { Readme, Path.Combine(RepositoryRoot, "CONTRIBUTING.md") }
            .Concat(Directory.GetFiles(Path.Combine(RepositoryRoot, "docs"), "*.md", SearchOption.AllDirectories))
            .Concat(PackageReadmes())
            .Select(Path.GetFullPath)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The README each package carries (src/&lt;project&gt;/README.md).</summary>
    public static IEnumerable<string> PackageReadmes() =>
        Directory.GetDirectories(Path.Combine(RepositoryRoot, "src"))
            .Select(project => Path.Combine(project, "README.md"))
            .Where(File.Exists);

    public static string Metadata(string key) =>
        typeof(Documents).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == key).Value!;

    /// <summary>Every fenced block whose opening fence starts a line (indented blocks inside list items are not read).</summary>
    public static List<DocumentBlock> Blocks(string document) => Blocks(document, File.ReadAllText(document));

    public static List<DocumentBlock> Blocks(string document, string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var blocks = new List<DocumentBlock>();
        var introductionStart = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith('#'))
            {
                introductionStart = i + 1;
            }

            if (!lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            var end = Array.IndexOf(lines, "```", i + 1);
            if (end < 0)
            {
                throw new FormatException($"{document}:{i + 1}: a ``` block is never closed.");
            }

            var above = string.Join("\n", lines[introductionStart..i]);
            blocks.Add(new DocumentBlock(document, i + 2, lines[i][3..].Trim(), string.Join("\n", lines[(i + 1)..end]), above));
            i = end;
            introductionStart = end + 1;
        }

        return blocks;
    }

    /// <summary>
    /// The packages a block's introduction names: the backticked names after "Packages" (up to the block), each with
    /// the version written after it, if any (<c>`Npgsql` 8.0.9</c>); names in parentheses are remarks, not packages.
    /// </summary>
    public static IReadOnlyList<(string Id, string? Version)> NamedPackages(DocumentBlock block)
    {
        var start = block.Above.LastIndexOf("Packages", StringComparison.Ordinal);
        if (start < 0)
        {
            return [];
        }

        // Parenthesised remarks ("(`IAppBuilder`)", "(net8.0, C# 12)") name types and versions of things, not packages.
        var named = Parenthesised().Replace(block.Above[start..], string.Empty);
        return PackageName().Matches(named)
            .Select(match => (match.Groups["id"].Value, match.Groups["version"].Success ? match.Groups["version"].Value : null))
            .ToList();
    }

    [GeneratedRegex(@"`(?<id>[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)*)`( (?<version>\d+(\.\d+)+))?")]
    private static partial Regex PackageName();

    [GeneratedRegex(@"\([^()]*\)")]
    private static partial Regex Parenthesised();
}
