using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>Relative links and #anchors of the documentation, resolved the way GitHub renders them.</summary>
internal static partial class DocLinks
{
    /// <summary>Every relative link of <paramref name="document"/> (given as <paramref name="text"/>) that does not resolve.</summary>
    public static List<string> Broken(string document, string text, Func<string, string?> readDocument)
    {
        var broken = new List<string>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var inFence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (inFence)
            {
                continue;
            }

            var prose = InlineCode().Replace(lines[i], string.Empty);
            foreach (Match link in Link().Matches(prose))
            {
                var target = link.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var hash = target.IndexOf('#');
                var path = hash < 0 ? target : target[..hash];
                var anchor = hash < 0 ? null : target[(hash + 1)..];
                var resolved = path.Length == 0 ? document : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(document)!, path));
                var where = $"{Path.GetFileName(document)}:{i + 1}: {target}";
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    broken.Add(where + " (no such file)");
                    continue;
                }

                if (anchor is null)
                {
                    continue;
                }

                var targetText = resolved == document ? text : readDocument(resolved);
                if (targetText is null || !Anchors(targetText).Contains(anchor))
                {
                    broken.Add(where + " (no such heading)");
                }
            }
        }

        return broken;
    }

    /// <summary>The full paths of the files <paramref name="text"/> (the document <paramref name="document"/>) links to, outside code.</summary>
    public static IEnumerable<string> LinkedFiles(string document, string text)
    {
        var inFence = false;
        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (inFence)
            {
                continue;
            }

            foreach (Match link in Link().Matches(InlineCode().Replace(line, string.Empty)))
            {
                var target = link.Groups["target"].Value;
                var path = target.Split('#')[0];
                if (path.Length > 0 && !target.Contains("://", StringComparison.Ordinal) && !target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    yield return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(document)!, path));
                }
            }
        }
    }

    /// <summary>The pages of docs/ that no other document (README.md, CONTRIBUTING.md, docs/, the packages' READMEs) links to.</summary>
    public static List<string> Unlinked(IReadOnlyDictionary<string, string> documents)
    {
        var linked = documents.SelectMany(document => LinkedFiles(document.Key, document.Value).Where(target => target != document.Key)).ToHashSet();
        return documents.Keys.Where(document => document.Contains($"{Path.DirectorySeparatorChar}docs{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !linked.Contains(document)).ToList();
    }

    /// <summary>GitHub's heading anchors: lower case, punctuation dropped, spaces to '-', repeats numbered -1, -2, ...</summary>
    public static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var inFence = false;
        foreach (var line in markdown.Replace("\r\n", "\n").Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }

            if (inFence || !Heading().IsMatch(line))
            {
                continue;
            }

            var title = Heading().Match(line).Groups["title"].Value.Trim();
            var slug = new StringBuilder();
            foreach (var character in title.ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(character) || character is '-' or '_')
                {
                    slug.Append(character);
                }
                else if (character == ' ')
                {
                    slug.Append('-');
                }
            }

            var anchor = slug.ToString();
            if (seen.TryGetValue(anchor, out var count))
            {
                seen[anchor] = count + 1;
                anchor += "-" + (count + 1);
            }
            else
            {
                seen[anchor] = 0;
            }

            anchors.Add(anchor);
        }

        return anchors;
    }

    [GeneratedRegex(@"\[[^\]]*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex("`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"^#{1,6} (?<title>.+)$")]
    private static partial Regex Heading();
}
