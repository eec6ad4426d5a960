using System.IO;
using System.Linq;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>
/// The option, configuration-key, probe-flag and log-event tables list exactly what the code has, both ways. Each check has a
/// control: a copy of the document with one row removed fails it, naming that row.
/// </summary>
[TestFixture]
public sealed class DocTablesTests
{
    private static string ReadmeText => File.ReadAllText(Documents.Readme);

    private static string PluginsText => File.ReadAllText(Path.Combine(Documents.RepositoryRoot, "docs", "plugins.md"));

    private static string ObservabilityText => File.ReadAllText(Path.Combine(Documents.RepositoryRoot, "docs", "observability.md"));

    private static string ProbeToolText => File.ReadAllText(Path.Combine(Documents.RepositoryRoot, "docs", "probe-tool.md"));

    [Test]
    public void ReadmeOptionsTable_ListsEveryHealthEndpointOptionsProperty_AndNothingElse()
    {
        Assert.That(DocTables.OptionProperties().Count(), Is.GreaterThanOrEqualTo(19), "the control: reflection reads the packed HealthEndpointOptions");
        Assert.That(DocTables.OptionProblems(ReadmeText), Is.Empty);
    }

    [Test]
    public void Control_ReadmeOptionsTableWithoutTheCheckTimeoutRow_Fails()
    {
        var copy = RemoveRow(ReadmeText, "| `CheckTimeout` |");

        Assert.That(DocTables.OptionProblems(copy), Is.EqualTo(new[] { "missing from the table: CheckTimeout" }));
    }

    [Test]
    public void Control_ReadmeOptionsTableWithARowForAGoneProperty_Fails()
    {
        var copy = ReadmeText.Replace("| `Logger` |", "| `Logging` |", System.StringComparison.Ordinal);

        Assert.That(DocTables.OptionProblems(copy), Is.EqualTo(new[] { "missing from the table: Logger", "listed but gone: Logging" }));
    }

    [Test]
    public void PluginsConfigurationTable_ListsEveryKeyThePluginReads_AndNothingElse()
    {
        Assert.That(DocTables.ConfigurationKeysInCode(), Has.Count.GreaterThanOrEqualTo(20).And.Contain("HealthEndpoint:CheckRedis").And.Contain("WebSession:Redis").And.Contain("Plugins"),
            "the control: the source is read");
        Assert.That(DocTables.ConfigurationKeyProblems(PluginsText), Is.Empty);
    }

    [Test]
    public void Control_PluginsConfigurationTableWithoutTheDatabaseCommandRow_Fails()
    {
        var copy = RemoveRow(PluginsText, "| `HealthEndpoint:DatabaseCommand` |");

        Assert.That(DocTables.ConfigurationKeyProblems(copy), Is.EqualTo(new[] { "missing from the table: HealthEndpoint:DatabaseCommand" }));
    }

    [Test]
    public void ProbeToolFlagsTable_ListsEveryFlag_AndNothingElse()
    {
        Assert.That(DocTables.ProbeFlagsInCode(), Has.Count.GreaterThanOrEqualTo(13).And.Contain("--plugin").And.Contain("-?"), "the control: the source is read");
        Assert.That(DocTables.ProbeFlagProblems(ProbeToolText), Is.Empty);
    }

    [Test]
    public void Control_ProbeToolFlagsTableWithoutTheTimeoutRow_Fails()
    {
        var copy = RemoveRow(ProbeToolText, "| `-t`, `--timeout` |");

        Assert.That(DocTables.ProbeFlagProblems(copy), Is.EqualTo(new[] { "missing from the table: --timeout", "missing from the table: -t" }));
    }

    [Test]
    public void LogsTable_ListsEveryEventIdUnderSrc_AndNothingElse()
    {
        Assert.That(DocTables.EventsInCode(), Has.Count.GreaterThanOrEqualTo(20).And.Contain("100 AppFailed").And.Contain("1 HealthCheckFailed"), "the control: the source is read");
        Assert.That(DocTables.EventProblems(ObservabilityText), Is.Empty);
    }

    [Test]
    public void Control_LogsTableWithoutTheClientErrorRow_Fails()
    {
        var copy = RemoveRow(ObservabilityText, "| 109 |");

        Assert.That(DocTables.EventProblems(copy), Is.EqualTo(new[] { "missing from the table: 109 ClientError" }));
    }

    private static string RemoveRow(string markdown, string rowStart)
    {
        var lines = markdown.Split('\n').ToList();
        var removed = lines.RemoveAll(line => line.StartsWith(rowStart, System.StringComparison.Ordinal));
        Assert.That(removed, Is.EqualTo(1), $"the control removes exactly one row starting '{rowStart}'");
        return string.Join('\n', lines);
    }
}
