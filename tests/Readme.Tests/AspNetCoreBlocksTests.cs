using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>
/// Each ASP.NET Core block (<c>```csharp aspnetcore</c>): a whole <c>Program.cs</c>, compiled alone as a fresh
/// <c>WebApplication</c> project (the Web SDK, net8.0, <c>dotnet new web</c>'s defaults: nullable and implicit usings on)
/// outside the repository, with exactly the packages the text above it names, HealthEndpoint.* from artifacts/packages.
/// All blocks build in one <c>dotnet build</c> of a generated solution (<see cref="FreshBlockProjects"/>).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class AspNetCoreBlocksTests
{
    private static readonly FreshBlockProjects Projects = new("healthendpoint-aspnetcore-blocks-", FreshProjectKind.Web, AspNetCoreBlocks);

    private static IEnumerable<TestCaseData> Blocks() =>
        AspNetCoreBlocks().Select(block => new TestCaseData(block.Document, block.FirstLine).SetArgDisplayNames(block.Where));

    [Test]
    public void Documents_HaveAspNetCoreBlocks_InThePackageReadmeAndTheMigrationPage()
    {
        var documents = AspNetCoreBlocks().Select(block => Path.GetFileName(Path.GetDirectoryName(block.Document)) + "/" + Path.GetFileName(block.Document)).Distinct();

        Assert.That(documents, Is.SupersetOf(new[] { "HealthEndpoint.AspNetCore/README.md", "docs/from-katana-to-aspnetcore.md" }));
    }

    [TestCaseSource(nameof(Blocks))]
    public Task AspNetCoreBlock_AloneInAFreshWebProjectWithTheNamedPackages_Compiles(string document, int firstLine) =>
        Projects.AssertCompiledAsync(document, firstLine);

    [OneTimeTearDown]
    public Task DeleteProjects() => Projects.DeleteAsync();

    private static List<DocumentBlock> AspNetCoreBlocks() =>
        Documents.All().SelectMany(Documents.Blocks).Where(block => block.IsAspNetCore).ToList();
}
