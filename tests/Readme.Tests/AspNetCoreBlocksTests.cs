using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System.Xml.Linq;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>
/// Each ASP.NET Core block (<c>```csharp aspnetcore</c>): a whole <c>Program.cs</c>, compiled alone as a fresh
/// <c>WebApplication</c> project (the Web SDK, net8.0, <c>dotnet new web</c>'s defaults: nullable and implicit usings on)
/// outside the repository, with exactly the packages the text above it names, HealthEndpoint.* from artifacts/packages.
/// All blocks build in one <c>dotnet build</c> of a generated solution.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class AspNetCoreBlocksTests
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    private static readonly Lazy<Task<(string Root, string Output, List<(DocumentBlock Block, string Project)> Projects)>> Build = new(BuildAllAsync);

    private static IEnumerable<TestCaseData> Blocks() =>
        AspNetCoreBlocks().Select(block => new TestCaseData(block.Document, block.FirstLine).SetArgDisplayNames(block.Where));

    [Test]
    public void Documents_HaveAspNetCoreBlocks_InThePackageReadmeAndTheMigrationPage()
    {
        var documents = AspNetCoreBlocks().Select(block => Path.GetFileName(Path.GetDirectoryName(block.Document)) + "/" + Path.GetFileName(block.Document)).Distinct();

        Assert.That(documents, Is.SupersetOf(new[] { "HealthEndpoint.AspNetCore/README.md", "docs/from-katana-to-aspnetcore.md" }));
    }

    [TestCaseSource(nameof(Blocks))]
    public async Task AspNetCoreBlock_AloneInAFreshWebProjectWithTheNamedPackages_Compiles(string document, int firstLine)
    {
        var (_, output, projects) = await Build.Value;
        var (block, project) = projects.Single(entry => entry.Block.Document == document && entry.Block.FirstLine == firstLine);
        var name = Path.GetFileNameWithoutExtension(project);

        var problems = output.Split('\n').Where(line => line.Contains(project, StringComparison.Ordinal) && (line.Contains(": error ", StringComparison.Ordinal) || line.Contains(": warning CS", StringComparison.Ordinal))).Distinct().ToList();

        Assert.That(problems, Is.Empty, block.Where);
        Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(project)!, "bin", "Release", "net8.0", name + ".dll")), Is.True, output);
    }

    [OneTimeTearDown]
    public async Task DeleteProjects()
    {
        if (Build.IsValueCreated)
        {
            Directory.Delete((await Build.Value).Root, recursive: true);
        }
    }

    private static List<DocumentBlock> AspNetCoreBlocks() =>
        Documents.All().SelectMany(Documents.Blocks).Where(block => block.IsAspNetCore).ToList();

    private static async Task<(string Root, string Output, List<(DocumentBlock Block, string Project)> Projects)> BuildAllAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "healthendpoint-aspnetcore-blocks-" + Guid.NewGuid().ToString("N"));
        var projects = AspNetCoreBlocks().Select((block, index) => (block, WriteProject(root, block, index + 1))).ToList();
        var created = await Shell.RunAsync("dotnet", ["new", "sln", "--name", "Blocks", "--format", "sln"], root, BuildTimeout);
        var added = await Shell.RunAsync("dotnet", new[] { "sln", "Blocks.sln", "add" }.Concat(projects.Select(entry => entry.Item2)), root, BuildTimeout);
        var build = await Shell.RunAsync("dotnet", ["build", "Blocks.sln", "-c", "Release", "-nologo", "-clp:NoSummary"], root, BuildTimeout);
        Assert.That(created.ExitCode + added.ExitCode, Is.EqualTo(0), created.Output + added.Output);
        return (root, build.Output, projects);
    }

    private static string WriteProject(string root, DocumentBlock block, int number)
    {
        var central = XDocument.Load(Path.Combine(Documents.RepositoryRoot, "Directory.Packages.props")).Descendants()
            .Where(element => element.Name.LocalName == "PackageVersion")
            .GroupBy(element => (string)element.Attribute("Include")!)
            .ToDictionary(group => group.Key, group => (string)group.First().Attribute("Version")!);
        var items = string.Join("\n", Documents.NamedPackages(block).Select(package =>
        {
            var version = package.Id.StartsWith("HealthEndpoint.", StringComparison.Ordinal) ? Documents.Metadata("HealthEndpointVersion")
                : package.Version ?? (central.TryGetValue(package.Id, out var pinned) && !pinned.StartsWith('$') ? pinned : throw new InvalidOperationException($"{block.Where}: no version for {package.Id}"));
            return $"    <PackageReference Include=\"{package.Id}\" Version=\"{version}\" />";
        }));
        var folder = Path.Combine(root, $"Web{number:00}");
        Directory.CreateDirectory(folder);
        var project = Path.Combine(folder, $"Web{number:00}.csproj");
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net8.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <RestorePackagesPath>{Documents.Metadata("RestorePackagesPath")}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
            {items}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), $"#line {block.FirstLine} \"{block.Document}\"\n{block.Text}\n");
        File.WriteAllText(Path.Combine(root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Path.Combine(Documents.RepositoryRoot, "artifacts", "packages")}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        return project;
    }
}
