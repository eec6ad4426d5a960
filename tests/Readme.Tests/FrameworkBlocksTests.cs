using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>
/// The blocks fenced <c>```csharp net472</c> (the README's Katana quick start) in the project a .NET Framework user
/// has: a fresh net472 project outside the repository (so no Directory.Build.props applies: LangVersion unset, C# 7.3),
/// with exactly the packages the text above the block names, from artifacts/packages and the package source. Katana's
/// <c>Owin</c> package is not obtainable here: the project gets a member-for-member copy of <c>Owin.IAppBuilder</c>
/// (Framework/IAppBuilder.cs) and a host of Katana's convention (Framework/), which activates the middleware as
/// Katana does. The built program then runs under mono against a real PostgreSQL.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FrameworkBlocksTests
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(6);
    private string _project = null!;

    [OneTimeSetUp]
    public void CreateProject()
    {
        _project = Path.Combine(Path.GetTempPath(), "healthendpoint-readme-net472-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_project);
    }

    [OneTimeTearDown]
    public void DeleteProject() => Directory.Delete(_project, recursive: true);

    [Test, Order(1)]
    public async Task FrameworkBlocks_InAFreshNet472Project_CompileAtTheDefaultLanguageVersion()
    {
        var blocks = FrameworkBlocks();
        WriteProject(blocks, extraFile: null);

        var (exitCode, output) = await BuildAsync();

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Not.Contain("warning CS").And.Not.Contain("error"), "compiles without a compiler warning");
        Assert.That(File.Exists(ProgramPath), Is.True, output);
    }

    [Test, Order(2)]
    public async Task KatanaQuickStart_UnderMono_ActivatesAndAnswersPingAndStatus()
    {
        Assert.That(File.Exists(ProgramPath), Is.True, "built by the compile test above");
        var mono = new[] { "/usr/bin/mono", "/usr/local/bin/mono" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("mono is not installed (./build.sh --target=ReadmeTest installs it: apt-get install -y mono-devel).");

        var (exitCode, output) = await Shell.RunAsync(mono, [ProgramPath], _project, TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["README_KATANA_CONNECTION_STRING"] = ReadmeDatabase.ConnectionString });

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(lines, Does.Contain("runtime 0 mono"), "ran on Mono, the .NET Framework runtime here");
        Assert.That(lines, Does.Contain("ping 200 pong"));
        Assert.That(lines, Does.Contain("""status 200 {"checks":{"database":"ok","redis":"skipped"},"status":"ok"}"""), "the database check ran against the real PostgreSQL");
        Assert.That(lines, Does.Contain("app 404"), "other paths reach the rest of the pipeline");
        Assert.That(lines, Does.Contain("""draining-status 503 {"checks":{"shutdown":"fail"},"status":"fail"}"""), "app.Properties carried the host's stop");
        Assert.That(lines, Does.Contain("draining-ping 200 pong"));
    }

    [Test, Order(3)]
    public async Task Control_TheSameProject_RejectsCSharp8()
    {
        // Proves the project compiles at C# 7.3: a file-scoped namespace (C# 10) and a nullable annotation (C# 8) fail.
        WriteProject(FrameworkBlocks(), extraFile: "namespace Control;\npublic static class Newer { public static string? Name => null; }\n");

        var (exitCode, output) = await BuildAsync();

        Assert.That(exitCode, Is.Not.EqualTo(0));
        Assert.That(output, Does.Contain("CS8370").Or.Contain("CS8107").Or.Contain("CS8773"), output);
        Assert.That(output, Does.Contain("7.3"), output);
    }

    private string ProgramPath => Path.Combine(_project, "bin", "Release", "net472", "ReadmeKatana.exe");

    private static List<DocumentBlock> FrameworkBlocks()
    {
        var blocks = Documents.All().SelectMany(Documents.Blocks).Where(block => block.IsFramework).ToList();
        Assert.That(blocks.Select(block => block.Document), Does.Contain(Documents.Readme), "the control: the README's Katana quick start is one");
        return blocks;
    }

    private void WriteProject(List<DocumentBlock> blocks, string? extraFile)
    {
        var version = Documents.Metadata("HealthEndpointVersion");
        var references = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["Microsoft.NETFramework.ReferenceAssemblies"] = "1.0.3",
        };
        foreach (var block in blocks)
        {
            foreach (var (id, named) in Documents.NamedPackages(block))
            {
                if (id == "Owin")
                {
                    continue; // Katana's package: the stand-in Framework/IAppBuilder.cs
                }

                var packageVersion = id.StartsWith("HealthEndpoint.", StringComparison.Ordinal) ? version : named;
                Assert.That(packageVersion, Is.Not.Null, $"{block.Where}: the text above names {id} without a version; a .NET Framework user needs one");
                references[id] = packageVersion!;
            }
        }

        var items = string.Join("\n", references.Select(pair => $"    <PackageReference Include=\"{pair.Key}\" Version=\"{pair.Value}\" />"));
        File.WriteAllText(Path.Combine(_project, "ReadmeKatana.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net472</TargetFramework>
                <AutoGenerateBindingRedirects>true</AutoGenerateBindingRedirects>
                <RestorePackagesPath>{Documents.Metadata("RestorePackagesPath")}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
            {items}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(_project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Path.Combine(Documents.RepositoryRoot, "artifacts", "packages")}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        foreach (var file in Directory.GetFiles(_project, "*.cs"))
        {
            File.Delete(file);
        }

        foreach (var file in Directory.GetFiles(Documents.Metadata("FrameworkHarnessDirectory"), "*.cs"))
        {
            File.Copy(file, Path.Combine(_project, Path.GetFileName(file)));
        }

        for (var i = 0; i < blocks.Count; i++)
        {
            File.WriteAllText(Path.Combine(_project, $"Block{i + 1:00}.cs"), $"#line {blocks[i].FirstLine} \"{blocks[i].Document}\"\n{blocks[i].Text}\n");
        }

        if (extraFile is not null)
        {
            File.WriteAllText(Path.Combine(_project, "Control.cs"), extraFile);
        }
    }

    private async Task<(int ExitCode, string Output)> BuildAsync() =>
        await Shell.RunAsync("dotnet", ["build", "-c", "Release", "-nologo", "-clp:NoSummary"], _project, BuildTimeout,
            new Dictionary<string, string> { ["MSBUILDDISABLENODEREUSE"] = "1" });
}
