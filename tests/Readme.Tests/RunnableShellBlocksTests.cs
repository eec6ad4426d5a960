using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>
/// Every shell block of README.md fenced <c>```bash runnable</c> works as printed: it runs under
/// <c>bash -euo pipefail</c> from the repository root (after Pack, as the README says), with a fresh HOME so that
/// nothing installed before helps it. The control runs the probe tool's block as the README used to print it (the
/// tool called by its bare name after <c>--tool-path</c>) and sees it fail.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class RunnableShellBlocksTests
{
    private static readonly TimeSpan BlockTimeout = TimeSpan.FromMinutes(5);

    private static IEnumerable<TestCaseData> RunnableBlocks() =>
        Documents.Blocks(Documents.Readme).Where(block => block.Info == "bash runnable")
            .Select(block => new TestCaseData(block.FirstLine, block.Text).SetArgDisplayNames($"README.md:{block.FirstLine}"));

    [Test]
    public void Readme_HasRunnableBlocks()
    {
        Assert.That(RunnableBlocks().Count(), Is.GreaterThanOrEqualTo(1), "the control: the probe tool's install block is marked runnable");
    }

    [TestCaseSource(nameof(RunnableBlocks))]
    public async Task Readme_RunnableShellBlock_RunsAsPrinted(int firstLine, string text)
    {
        var (exitCode, output) = await RunAsync(text);

        Assert.That(exitCode, Is.EqualTo(0), $"README.md:{firstLine}:\n{text}\n---\n{output}");
        if (text.Contains("healthendpoint-probe\" --version", StringComparison.Ordinal))
        {
            Assert.That(output, Does.Contain("healthendpoint-probe " + Documents.Metadata("HealthEndpointVersion")));
        }
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

    private static async Task<(int ExitCode, string Output)> RunAsync(string script)
    {
        var home = Path.Combine(Path.GetTempPath(), "healthendpoint-readme-home-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        try
        {
            return await Shell.RunAsync("bash", ["-euo", "pipefail", "-c", script], Documents.RepositoryRoot, BlockTimeout, new Dictionary<string, string>
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
