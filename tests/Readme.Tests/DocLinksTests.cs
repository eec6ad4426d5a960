using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>Every relative link and #anchor in README.md, CONTRIBUTING.md and docs/ resolves.</summary>
[TestFixture]
public sealed class DocLinksTests
{
    [Test]
    public void Documents_EveryRelativeLinkAndAnchor_Resolves()
    {
        var documents = Documents.All();
        var broken = documents.SelectMany(document => DocLinks.Broken(document, File.ReadAllText(document), ReadIfExists)).ToList();

        Assert.That(documents, Has.Count.GreaterThanOrEqualTo(10), "the control: README.md, CONTRIBUTING.md and docs/ are read");
        Assert.That(broken, Is.Empty);
    }

    [Test]
    public void Control_AReadmeCopyWithAWrongAnchorAndAMissingFile_Fails()
    {
        var readme = File.ReadAllText(Documents.Readme)
            .Replace("(#graceful-shutdown)", "(#graceful-stop)", System.StringComparison.Ordinal)
            .Replace("(CONTRIBUTING.md)", "(CONTRIBUTE.md)", System.StringComparison.Ordinal);

        var broken = DocLinks.Broken(Documents.Readme, readme, ReadIfExists);

        Assert.That(broken, Has.Some.Contains("#graceful-stop (no such heading)"));
        Assert.That(broken, Has.Some.Contains("CONTRIBUTE.md (no such file)"));
    }

    // A page no document links to is a page no reader finds (docs/probe-tool.md was one until issue 25).
    [Test]
    public void DocsPages_EachLinkedFromAnotherDocument()
    {
        var documents = Documents.All().ToDictionary(document => document, File.ReadAllText);

        Assert.That(DocLinks.Unlinked(documents), Is.Empty);
    }

    [Test]
    public void Control_DocumentsWithoutTheirLinksToProbeToolMd_ReportItUnlinked()
    {
        var documents = Documents.All().ToDictionary(
            document => document,
            document => Regex.Replace(File.ReadAllText(document), @"\]\((\.\./)*(docs/)?probe-tool\.md(#[^)]*)?\)", "]"));

        Assert.That(DocLinks.Unlinked(documents), Is.EqualTo(new[] { Path.Combine(Documents.RepositoryRoot, "docs", "probe-tool.md") }));
    }

    [Test]
    public void Anchors_FollowGitHubsRules()
    {
        var anchors = DocLinks.Anchors("## Start and graceful stop: `host.OnAppDisposing`\n## .NET Framework and StackExchange.Redis 3.x\n# A\n# A\n");

        Assert.That(anchors, Is.EquivalentTo(new[] { "start-and-graceful-stop-hostonappdisposing", "net-framework-and-stackexchangeredis-3x", "a", "a-1" }));
    }

    private static string? ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
