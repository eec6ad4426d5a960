using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using LegacyApp.Tests.Databases;

namespace LegacyApp.Tests;

/// <summary>
/// docs/checks.md's "Tested providers" table lists exactly the engines, provider packages and versions the tests
/// load, and the read-only command each runs, both ways; a row's command is the one its test file runs. The
/// controls hand it a copy of the document with a row removed or a version changed.
/// </summary>
[TestFixture]
public sealed partial class TestedProvidersTableTests
{
    private const string Heading = "## Tested providers";

    private static string ChecksText => File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "checks.md"));

    [Test]
    public void TestedProvidersTable_ListsEveryEngineTheTestsRun_AndNothingElse()
    {
        Assert.That(RowsInCode(), Has.Count.EqualTo(4).And.Some.StartsWith("MariaDB | MySqlConnector 2."), "the control: the providers' versions are read");
        Assert.That(Problems(ChecksText), Is.Empty);
    }

    [Test]
    public void Control_TableWithoutTheMariaDbRow_Fails()
    {
        var copy = string.Join('\n', ChecksText.Split('\n').Where(line => !line.StartsWith("| MariaDB 10.11 |", StringComparison.Ordinal)));

        Assert.That(Problems(copy), Has.Count.EqualTo(1).And.Some.StartsWith("missing from the table: MariaDB | MySqlConnector"));
    }

    [Test]
    public void Control_TableWithAnotherProviderVersion_Fails()
    {
        var copy = ChecksText.Replace("`MySqlConnector` 2.4.0", "`MySqlConnector` 2.3.0", StringComparison.Ordinal);

        Assert.That(Problems(copy), Has.Some.StartsWith("listed but not run: MariaDB | MySqlConnector 2.3.0"));
    }

    [TestCaseSource(nameof(ProvenCommands))]
    public void ReadOnlyCommand_IsTheOneItsTestRuns(string engine, string command, string file)
    {
        var source = File.ReadAllText(Path.Combine(RepositoryRoot(), file));

        Assert.That(
            source.Contains($"\"{command}\"", StringComparison.Ordinal) || source.Contains($"TestedProviders.Named(\"{engine}\").ReadOnlyCommand", StringComparison.Ordinal),
            Is.True,
            $"{file} runs {engine}'s read-only command");
    }

    public static IEnumerable<TestCaseData> ProvenCommands() => TestedProviders.All
        .Where(provider => provider.ReadOnlyCommand is not null)
        .Select(provider => new TestCaseData(provider.Engine, provider.ReadOnlyCommand, provider.ProvenIn));

    /// <summary>"Engine | Package Version | command" for each provider the tests know; "not run" for no version, "none" for no command.</summary>
    private static List<string> RowsInCode() => TestedProviders.All
        .Select(provider => $"{provider.Engine} | {provider.Package} {provider.Version ?? "not run"} | {provider.ReadOnlyCommand ?? "none"}")
        .ToList();

    /// <summary>The same for each row of the table: the engine without its version, the first backticked provider and command.</summary>
    private static List<string> RowsInTable(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var at = Array.IndexOf(lines, Heading);
        if (at < 0)
        {
            throw new FormatException($"No heading '{Heading}'.");
        }

        return lines.Skip(at + 1).SkipWhile(line => !line.StartsWith('|')).TakeWhile(line => line.StartsWith('|')).Skip(2)
            .Select(row => row.Split('|'))
            .Select(cells =>
            {
                var engine = TrailingVersion().Replace(cells[1].Trim(), string.Empty);
                var package = Backticked().Match(cells[2]).Groups[1].Value;
                var version = PackageVersion().Match(cells[2]) is { Success: true } match ? match.Value : "not run";
                var command = Backticked().Match(cells[4]) is { Success: true } quoted ? quoted.Groups[1].Value : "none";
                return $"{engine} | {package} {version} | {command}";
            })
            .ToList();
    }

    private static List<string> Problems(string markdown)
    {
        var inTable = RowsInTable(markdown);
        var inCode = RowsInCode();
        return inCode.Except(inTable).Select(row => "missing from the table: " + row)
            .Concat(inTable.Except(inCode).Select(row => "listed but not run: " + row))
            .ToList();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HealthEndpoint.Owin.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("No HealthEndpoint.Owin.sln above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@" \d+(\.\d+)*$")]
    private static partial Regex TrailingVersion();

    [GeneratedRegex(@"\b\d+\.\d+\.\d+\b")]
    private static partial Regex PackageVersion();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();
}
