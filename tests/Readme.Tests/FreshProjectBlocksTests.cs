using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>
/// Each net8.0 C# block (<c>```csharp</c>) compiled the way a reader would paste it: alone, in a fresh net8.0 class
/// library outside the repository (<c>dotnet new classlib</c>'s defaults: C# 12, nullable and implicit usings on),
/// with exactly the packages the text above it names, HealthEndpoint.* from artifacts/packages and the others at the
/// versions of Directory.Packages.props. A block that uses a package its text does not name fails here (the README's
/// old style 1 used Npgsql without saying so). All blocks build in one <c>dotnet build</c> of a generated solution
/// (<see cref="FreshBlockProjects"/>).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FreshProjectBlocksTests
{
    private static readonly FreshBlockProjects Projects = new("healthendpoint-readme-net8-", FreshProjectKind.ClassLibrary, Net8Blocks);

    private static IEnumerable<TestCaseData> Blocks() =>
        Net8Blocks().Select(block => new TestCaseData(block.Document, block.FirstLine).SetArgDisplayNames(block.Where));

    [TestCaseSource(nameof(Blocks))]
    public Task Net8Block_AloneInAFreshProjectWithTheNamedPackages_Compiles(string document, int firstLine) =>
        Projects.AssertCompiledAsync(document, firstLine);

    [Test]
    public async Task Control_TheAppFuncQuickStartWithoutNpgsqlNamed_DoesNotCompile()
    {
        var block = Net8Blocks().Single(block => block.Document == Documents.Readme && block.Text.Contains("NpgsqlFactory", StringComparison.Ordinal));
        var withoutNpgsql = block with { Above = block.Above.Replace("`Npgsql`", "Npgsql's", StringComparison.Ordinal) };
        var root = Path.Combine(Path.GetTempPath(), "healthendpoint-readme-control-" + Guid.NewGuid().ToString("N"));
        try
        {
            var project = FreshBlockProjects.WriteProject(root, FreshProjectKind.ClassLibrary, withoutNpgsql, 1);

            var (exitCode, output) = await Shell.RunAsync("dotnet", ["build", project, "-c", "Release", "-nologo", "-clp:NoSummary"], root, FreshBlockProjects.BuildTimeout);

            Assert.That(exitCode, Is.Not.EqualTo(0));
            Assert.That(output, Does.Contain("CS0246").And.Contain("Npgsql"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [OneTimeTearDown]
    public Task DeleteProjects() => Projects.DeleteAsync();

    private static List<DocumentBlock> Net8Blocks() =>
        Documents.All().SelectMany(Documents.Blocks).Where(block => block.IsCsharp && block.Info == block.Language).ToList();
}
