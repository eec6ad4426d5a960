using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System.Xml.Linq;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>
/// Each net8.0 C# block (<c>```csharp</c>) compiled the way a reader would paste it: alone, in a fresh net8.0 class
/// library outside the repository (<c>dotnet new classlib</c>'s defaults: C# 12, nullable and implicit usings on),
/// with exactly the packages the text above it names, HealthEndpoint.* from artifacts/packages and the others at the
/// versions of Directory.Packages.props. A block that uses a package its text does not name fails here (the README's
/// old style 1 used Npgsql without saying so). All blocks build in one <c>dotnet build</c> of a generated solution.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FreshProjectBlocksTests
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    private static readonly Lazy<Task<(string Root, string Output, List<(DocumentBlock Block, string Project)> Projects)>> Build = new(BuildAllAsync);

    private static IEnumerable<TestCaseData> Blocks() =>
        Net8Blocks().Select(block => new TestCaseData(block.Document, block.FirstLine).SetArgDisplayNames(block.Where));

    [TestCaseSource(nameof(Blocks))]
    public async Task Net8Block_AloneInAFreshProjectWithTheNamedPackages_Compiles(string document, int firstLine)
    {
        var (_, output, projects) = await Build.Value;
        var (block, project) = projects.Single(entry => entry.Block.Document == document && entry.Block.FirstLine == firstLine);
        var name = Path.GetFileNameWithoutExtension(project);

        var problems = output.Split('\n').Where(line => line.Contains(project, StringComparison.Ordinal) && (line.Contains(": error ", StringComparison.Ordinal) || line.Contains(": warning CS", StringComparison.Ordinal))).Distinct().ToList();

        Assert.That(problems, Is.Empty, $"{block.Where} with {string.Join(", ", PackagesOf(block).Select(package => package.Key))}");
        Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(project)!, "bin", "Release", "net8.0", name + ".dll")), Is.True, output);
    }

    [Test]
    public async Task Control_TheAppFuncQuickStartWithoutNpgsqlNamed_DoesNotCompile()
    {
        var block = Net8Blocks().Single(block => block.Document == Documents.Readme && block.Text.Contains("NpgsqlFactory", StringComparison.Ordinal));
        var withoutNpgsql = block with { Above = block.Above.Replace("`Npgsql`", "Npgsql's", StringComparison.Ordinal) };
        var root = Path.Combine(Path.GetTempPath(), "healthendpoint-readme-control-" + Guid.NewGuid().ToString("N"));
        try
        {
            var project = WriteProject(root, withoutNpgsql, 1);

            var (exitCode, output) = await Shell.RunAsync("dotnet", ["build", project, "-c", "Release", "-nologo", "-clp:NoSummary"], root, BuildTimeout);

            Assert.That(exitCode, Is.Not.EqualTo(0));
            Assert.That(output, Does.Contain("CS0246").And.Contain("Npgsql"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [OneTimeTearDown]
    public async Task DeleteProjects()
    {
        if (Build.IsValueCreated)
        {
            Directory.Delete((await Build.Value).Root, recursive: true);
        }
    }

    private static List<DocumentBlock> Net8Blocks() =>
        Documents.All().SelectMany(Documents.Blocks).Where(block => block.IsCsharp && block.Info == block.Language).ToList();

    private static async Task<(string Root, string Output, List<(DocumentBlock Block, string Project)> Projects)> BuildAllAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "healthendpoint-readme-net8-" + Guid.NewGuid().ToString("N"));
        var projects = Net8Blocks().Select((block, index) => (block, WriteProject(root, block, index + 1))).ToList();
        var created = await Shell.RunAsync("dotnet", ["new", "sln", "--name", "Blocks", "--format", "sln"], root, BuildTimeout);
        var added = await Shell.RunAsync("dotnet", new[] { "sln", "Blocks.sln", "add" }.Concat(projects.Select(entry => entry.Item2)), root, BuildTimeout);
        var build = await Shell.RunAsync("dotnet", ["build", "Blocks.sln", "-c", "Release", "-nologo", "-clp:NoSummary"], root, BuildTimeout);
        Assert.That(created.ExitCode + added.ExitCode, Is.EqualTo(0), created.Output + added.Output);
        return (root, build.Output, projects);
    }

    private static SortedDictionary<string, string> PackagesOf(DocumentBlock block)
    {
        var central = XDocument.Load(Path.Combine(Documents.RepositoryRoot, "Directory.Packages.props")).Descendants()
            .Where(element => element.Name.LocalName == "PackageVersion")
            .GroupBy(element => (string)element.Attribute("Include")!)
            .ToDictionary(group => group.Key, group => (string)group.First().Attribute("Version")!);
        var packages = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, named) in Documents.NamedPackages(block))
        {
            packages[id] = id.StartsWith("HealthEndpoint.", StringComparison.Ordinal) ? Documents.Metadata("HealthEndpointVersion")
                : named ?? (central.TryGetValue(id, out var version) && !version.StartsWith('$') ? version : throw new InvalidOperationException($"{block.Where}: no version for {id}"));
        }

        return packages;
    }

    private static string WriteProject(string root, DocumentBlock block, int number)
    {
        var folder = Path.Combine(root, $"Block{number:00}");
        Directory.CreateDirectory(folder);
        var items = string.Join("\n", PackagesOf(block).Select(pair => $"    <PackageReference Include=\"{pair.Key}\" Version=\"{pair.Value}\" />"));
        var project = Path.Combine(folder, $"Block{number:00}.csproj");
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
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
        File.WriteAllText(Path.Combine(folder, "Block.cs"), $"#line {block.FirstLine} \"{block.Document}\"\n{block.Text}\n");
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
