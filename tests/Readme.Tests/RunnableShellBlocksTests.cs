using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>
/// Every shell block of README.md and docs/**/*.md fenced <c>```bash runnable</c> works as printed: it runs under
/// <c>bash -euo pipefail</c> from the repository root (after Pack, as the documents say), with a fresh HOME so that
/// nothing installed before helps it. The one change made to a block: <c>/opt/healthendpoint-probe</c>, where the
/// docs install the probe tool on a server, becomes a folder under that fresh HOME, so the test writes nothing
/// outside its temp folder (printed with each run). Every other shell block in docs/ must be listed in
/// <see cref="ShellBlockExemptions"/> with the reason it cannot run here and the test that covers it instead, so a
/// new install line cannot go untested by accident. The controls: the probe tool's block as the README used to print
/// it (the tool called by its bare name after <c>--tool-path</c>), and icinga-probe.md's install line as it used to
/// be printed (no <c>--version</c>, no source), both fail.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RunnableShellBlocksTests
{
    private const string ServerToolPath = "/opt/healthendpoint-probe";
    private static readonly TimeSpan BlockTimeout = TimeSpan.FromMinutes(5);

    private static IEnumerable<DocumentBlock> Runnable() =>
        new[] { Documents.Readme }.Concat(DocsDocuments())
            .SelectMany(document => Documents.Blocks(document))
            .Where(block => block.Info == "bash runnable");

    private static IEnumerable<TestCaseData> RunnableBlocks() =>
        Runnable().Select(block => new TestCaseData(Relative(block.Document), block.FirstLine, block.Text)
            .SetArgDisplayNames($"{Relative(block.Document)}:{block.FirstLine}"));

    [Test]
    public void RunnableBlocks_ReadmeAndDocs_ListedAndAtLeastTheProbeInstalls()
    {
        var run = Runnable().Select(block => $"{Relative(block.Document)}:{block.FirstLine}").ToList();
        var exempt = ShellBlockExemptions.All.Select(exemption => $"{exemption.Document} ({exemption.Contains.Split('\n')[0]}): {exemption.Reason}").ToList();
        TestContext.Out.WriteLine("Run as printed:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", run));
        TestContext.Out.WriteLine("Not run here:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", exempt));

        Assert.That(run, Has.Some.StartsWith("README.md:"), "the README's probe install");
        Assert.That(run, Has.Some.StartsWith("docs/probe-tool.md:"));
        Assert.That(run, Has.Some.StartsWith("docs/recipes/icinga-probe.md:"));
    }

    [TestCaseSource(nameof(RunnableBlocks))]
    public async Task RunnableShellBlock_RunsAsPrinted(string document, int firstLine, string text)
    {
        var (exitCode, output) = await RunAsync(text);

        Assert.That(exitCode, Is.EqualTo(0), $"{document}:{firstLine}:\n{text}\n---\n{output}");
        if (text.Contains("healthendpoint-probe\" --version", StringComparison.Ordinal) || text.Contains("healthendpoint-probe --version", StringComparison.Ordinal))
        {
            Assert.That(output, Does.Contain("healthendpoint-probe " + Documents.Metadata("HealthEndpointVersion")));
        }
    }

    [Test]
    public void DocsShellBlocks_EachRunnableOrExemptWithAReason()
    {
        var blocks = DocsDocuments().SelectMany(document => Documents.Blocks(document)).ToList();

        Assert.That(ShellBlockExemptions.Problems(blocks, Relative), Is.Empty);
    }

    [Test]
    public void Control_AnUnmarkedInstallLineInDocsOrAStaleExemption_IsReported()
    {
        var blocks = DocsDocuments().SelectMany(document => Documents.Blocks(document)).ToList();
        var added = Documents.Blocks(Path.Combine(Documents.RepositoryRoot, "docs", "new.md"), "# New\n\n```sh\ndotnet tool install Something\n```\n");
        var withoutPlugins = blocks.Where(block => !block.Document.EndsWith("plugins.md", StringComparison.Ordinal)).ToList();

        Assert.That(ShellBlockExemptions.Problems(blocks.Concat(added).ToList(), Relative), Has.One.Contains("docs/new.md:4"));
        Assert.That(ShellBlockExemptions.Problems(withoutPlugins, Relative), Has.Some.Contains("matches no block"));
    }

    [Test]
    public async Task Control_TheProbeBlockCallingTheToolByItsBareName_Fails()
    {
        var block = Documents.Blocks(Documents.Readme).Single(block => block.Info == "bash runnable" && block.Text.Contains("HealthEndpoint.Probe", StringComparison.Ordinal));
        var asPrintedBefore = block.Text.Replace("\"$HOME/.healthendpoint-probe/healthendpoint-probe\"", "healthendpoint-probe", StringComparison.Ordinal);
        Assert.That(asPrintedBefore, Is.Not.EqualTo(block.Text), "the control edits the block");

        var (exitCode, output) = await RunAsync(asPrintedBefore);

        Assert.That(exitCode, Is.EqualTo(127), output);
        Assert.That(output, Does.Contain("command not found"));
    }

    [Test]
    public async Task Control_TheIcingaInstallLineAsPrintedBefore_Fails()
    {
        // icinga-probe.md printed this until issue 25: no source holds the package until it is on a public feed.
        var (exitCode, output) = await RunAsync($"dotnet tool install HealthEndpoint.Probe --tool-path {ServerToolPath}\n{ServerToolPath}/healthendpoint-probe --version");

        Assert.That(exitCode, Is.Not.EqualTo(0), output);
        Assert.That(output, Does.Contain("healthendpoint.probe").IgnoreCase);
    }

    private static IEnumerable<string> DocsDocuments() =>
        Directory.GetFiles(Path.Combine(Documents.RepositoryRoot, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    private static string Relative(string document) =>
        Path.GetRelativePath(Documents.RepositoryRoot, document).Replace('\\', '/');

    private static async Task<(int ExitCode, string Output)> RunAsync(string script)
    {
        var home = Path.Combine(Path.GetTempPath(), "healthendpoint-readme-home-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        try
        {
            var asRun = script.Replace(ServerToolPath, home + ServerToolPath, StringComparison.Ordinal);
            if (asRun != script)
            {
                TestContext.Out.WriteLine($"{ServerToolPath} → {home}{ServerToolPath}:");
            }

            TestContext.Out.WriteLine(asRun);
            return await Shell.RunAsync("bash", ["-euo", "pipefail", "-c", asRun], Documents.RepositoryRoot, BlockTimeout, new Dictionary<string, string>
            {
                ["HOME"] = home,
                ["DOTNET_CLI_HOME"] = home,
                ["NUGET_PACKAGES"] = Path.Combine(home, ".nuget", "packages"),
                ["DOTNET_NOLOGO"] = "1",
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["PATH"] = "/usr/bin:/bin:/usr/local/bin:" + Path.GetDirectoryName(Environment.ProcessPath ?? "/usr/bin/dotnet"),
            });
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
