using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System.Xml.Linq;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>The project a block is pasted into, as <c>dotnet new</c> makes it: net8.0, nullable and implicit usings on.</summary>
/// <param name="Sdk">The project's SDK.</param>
/// <param name="Name">The project's name, numbered per block (<c>Block01</c>).</param>
/// <param name="SourceFile">The file the block becomes.</param>
internal sealed record FreshProjectKind(string Sdk, string Name, string SourceFile)
{
    /// <summary><c>dotnet new classlib</c>, for a net8.0 C# block.</summary>
    public static FreshProjectKind ClassLibrary { get; } = new("Microsoft.NET.Sdk", "Block", "Block.cs");

    /// <summary><c>dotnet new web</c>, for an ASP.NET Core block: a whole <c>Program.cs</c>.</summary>
    public static FreshProjectKind Web { get; } = new("Microsoft.NET.Sdk.Web", "Web", "Program.cs");
}

/// <summary>
/// Blocks compiled the way a reader pastes them: each alone in a fresh project outside the repository, with exactly
/// the packages the text above it names (HealthEndpoint.* from artifacts/packages, the others at the version the
/// text gives or else at Directory.Packages.props'), all built by one <c>dotnet build</c> of a generated solution.
/// </summary>
internal sealed class FreshBlockProjects
{
    /// <summary>How long one <c>dotnet</c> command may take.</summary>
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    private readonly Lazy<Task<(string Root, string Output, List<(DocumentBlock Block, string Project)> Projects)>> _build;

    /// <param name="folderPrefix">The start of the temp folder's name.</param>
    /// <param name="kind">The project each block goes into.</param>
    /// <param name="blocks">The blocks, read when the first test needs the build.</param>
    public FreshBlockProjects(string folderPrefix, FreshProjectKind kind, Func<IEnumerable<DocumentBlock>> blocks) =>
        _build = new(() => BuildAllAsync(folderPrefix, kind, blocks()));

    /// <summary>
    /// Asserts that the block's project compiled with no error and no compiler warning, into its DLL; the first call
    /// builds every block's project.
    /// </summary>
    public async Task AssertCompiledAsync(string document, int firstLine)
    {
        var (_, output, projects) = await _build.Value;
        var (block, project) = projects.Single(entry => entry.Block.Document == document && entry.Block.FirstLine == firstLine);
        var name = Path.GetFileNameWithoutExtension(project);

        var problems = output.Split('\n').Where(line => line.Contains(project, StringComparison.Ordinal) && (line.Contains(": error ", StringComparison.Ordinal) || line.Contains(": warning CS", StringComparison.Ordinal))).Distinct().ToList();

        Assert.That(problems, Is.Empty, $"{block.Where} with {string.Join(", ", PackagesOf(block).Select(package => package.Key))}");
        Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(project)!, "bin", "Release", "net8.0", name + ".dll")), Is.True, output);
    }

    /// <summary>Deletes the temp folder, if the projects were built.</summary>
    public async Task DeleteAsync()
    {
        if (_build.IsValueCreated)
        {
            Directory.Delete((await _build.Value).Root, recursive: true);
        }
    }

    /// <summary>Writes the block's project (<paramref name="kind"/>, numbered <paramref name="number"/>) and the folder's nuget.config.</summary>
    /// <returns>The project file's path.</returns>
    public static string WriteProject(string root, FreshProjectKind kind, DocumentBlock block, int number)
    {
        var folder = Path.Combine(root, $"{kind.Name}{number:00}");
        Directory.CreateDirectory(folder);
        var items = string.Join("\n", PackagesOf(block).Select(pair => $"    <PackageReference Include=\"{pair.Key}\" Version=\"{pair.Value}\" />"));
        var project = Path.Combine(folder, $"{kind.Name}{number:00}.csproj");
        File.WriteAllText(project, $"""
            <Project Sdk="{kind.Sdk}">
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
        File.WriteAllText(Path.Combine(folder, kind.SourceFile), $"#line {block.FirstLine} \"{block.Document}\"\n{block.Text}\n");
        LocalNuGetConfig.Write(root);
        return project;
    }

    private static async Task<(string Root, string Output, List<(DocumentBlock Block, string Project)> Projects)> BuildAllAsync(string folderPrefix, FreshProjectKind kind, IEnumerable<DocumentBlock> blocks)
    {
        var root = Path.Combine(Path.GetTempPath(), folderPrefix + Guid.NewGuid().ToString("N"));
        var projects = blocks.Select((block, index) => (block, WriteProject(root, kind, block, index + 1))).ToList();
        var created = await Shell.RunAsync("dotnet", ["new", "sln", "--name", "Blocks", "--format", "sln"], root, BuildTimeout);
        var added = await Shell.RunAsync("dotnet", new[] { "sln", "Blocks.sln", "add" }.Concat(projects.Select(entry => entry.Item2)), root, BuildTimeout);
        var build = await Shell.RunAsync("dotnet", ["build", "Blocks.sln", "-c", "Release", "-nologo", "-clp:NoSummary"], root, BuildTimeout);
        Assert.That(created.ExitCode + added.ExitCode, Is.EqualTo(0), created.Output + added.Output);
        return (root, build.Output, projects);
    }

    /// <summary>The packages the block's text names, each with the version its project references.</summary>
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
}
