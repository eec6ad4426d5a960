using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>
/// The blocks fenced <c>```csharp net472</c> (the README's Katana quick start) in the project a .NET Framework user
/// has: a fresh net472 project outside the repository (so no Directory.Build.props applies: LangVersion unset, C# 7.3),
/// with exactly the packages the text above the block names, from artifacts/packages and the package source, and the
/// <c>&lt;system.diagnostics&gt;</c> block of docs/dotnet-framework.md (fenced <c>```xml net472 app.config</c>) as
/// its App.config. The
/// quick start is built by Katana's own AppBuilder (Microsoft.Owin 4.2.2) as Katana's hosting engine builds it
/// (Framework/KatanaHostingEngine.cs); Katana's <c>Owin</c> package, which Microsoft.Owin needs and the package source
/// does not serve, is the repository's test package (tests/Fixtures/Owin, artifacts/test-packages). The built program
/// then runs under mono against a real PostgreSQL.
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
    public async Task KatanaQuickStart_UnderMono_BuiltByKatanasAppBuilder_AnswersPingAndStatusAndDrains()
    {
        var lines = await RunUnderMonoAsync(closedDatabasePort: null);

        Assert.That(lines, Does.Contain("runtime 0 mono"), "ran on Mono, the .NET Framework runtime here");
        Assert.That(lines, Does.Contain("ping 200 pong"));
        Assert.That(lines, Does.Contain("""status 200 {"checks":{"database":"ok","redis":"skipped"},"status":"ok"}"""), "the database check ran against the real PostgreSQL");
        Assert.That(lines, Does.Contain("app 200 app /tickets"), "other paths reach the app's own middleware");
        Assert.That(lines, Does.Contain("""draining-status 503 {"checks":{"shutdown":"fail"},"status":"fail"}"""), "app.Properties carried the host's stop");
        Assert.That(lines, Does.Contain("draining-ping 200 pong"));
    }

    [Test, Order(3)]
    public async Task KatanaQuickStart_UnderMono_SessionsAfterOursSeeNoProbeAndTheBranchAnswersUnderItsBase()
    {
        var lines = await RunUnderMonoAsync(closedDatabasePort: null);

        Assert.That(lines, Does.Contain("probe-sessions 0 0"), "1,000 probes reached no session middleware after the quick start's");
        Assert.That(lines, Does.Contain("app-sessions 0 1"), "one session for the one app request");
        Assert.That(lines, Does.Contain("control-probe-sessions 0 1000"), "the control: placed before ours, a session per probe");
        Assert.That(lines, Does.Contain("map-ping 200 pong"), "inside app.Map(\"/rt\", ...), under the branch's base");
        Assert.That(lines, Does.Contain("map-app 200 app /rt/tickets"));
        Assert.That(lines, Does.Contain("map-outside-ping 404"), "outside the branch: Katana's own 404");
    }

    [Test, Order(4)]
    public async Task TraceConfig_UnderMono_FailingCheckWritesTheDocumentedLine()
    {
        var log = Path.Combine(_project, LogFileName);
        File.Delete(log);

        var lines = await RunUnderMonoAsync(closedDatabasePort: FreeTcpPort.Next());

        Assert.That(lines, Does.Contain("""failing-status 503 {"checks":{"database":"fail","redis":"skipped"},"status":"fail"}"""), "the answer says fail, never why");
        Assert.That(File.Exists(log), Is.True, $"the App.config's listener wrote {log}");
        var written = File.ReadAllLines(log);
        TestContext.Out.WriteLine($"{LogFileName}:\n{string.Join("\n", written)}");
        var pattern = DocumentedLinePattern();
        Assert.That(written.Any(line => Regex.IsMatch(line, pattern)), Is.True, $"the line docs/dotnet-framework.md shows, with this run's figures: {pattern}");
    }

    [Test, Order(5)]
    public async Task Control_WithoutTheConfig_TheFailingCheckWritesNothing()
    {
        // The quick start as printed, without the <system.diagnostics> block: its trace source has only .NET's default
        // listener, and the failing check's reason lands in no file.
        var log = Path.Combine(_project, LogFileName);
        File.Delete(log);
        var config = ProgramPath + ".config";
        var aside = config + ".aside";
        File.Move(config, aside);
        try
        {
            var lines = await RunUnderMonoAsync(closedDatabasePort: FreeTcpPort.Next());

            Assert.That(lines, Has.Some.StartsWith("failing-status 503 "));
            Assert.That(File.Exists(log), Is.False, "nothing configured, nothing written");
        }
        finally
        {
            File.Move(aside, config);
        }
    }

    [Test, Order(6)]
    public async Task Control_TheSameProject_RejectsCSharp8()
    {
        // Proves the project compiles at C# 7.3: a file-scoped namespace (C# 10) and a nullable annotation (C# 8) fail.
        WriteProject(FrameworkBlocks(), extraFile: "namespace Control;\npublic static class Newer { public static string? Name => null; }\n");

        var (exitCode, output) = await BuildAsync();

        Assert.That(exitCode, Is.Not.EqualTo(0));
        Assert.That(output, Does.Contain("CS8370").Or.Contain("CS8107").Or.Contain("CS8773"), output);
        Assert.That(output, Does.Contain("7.3"), output);
    }

    // The <system.diagnostics> block of docs/dotnet-framework.md is fenced so, and its listener writes this file.
    private const string AppConfigFence = "xml net472 app.config";
    private const string LogFileName = "healthendpoint.log";

    // The repository's test package standing in for Katana's Owin 1.0 (tests/Fixtures/Owin).
    private const string OwinFixtureVersion = "1.0.0";

    private string ProgramPath => Path.Combine(_project, "bin", "Release", "net472", "ReadmeKatana.exe");

    // Runs the built program under mono in the project folder (where the App.config's bare file name lands) and
    // returns its lines; with a closed port, it also runs the quick start with its database down.
    private async Task<string[]> RunUnderMonoAsync(int? closedDatabasePort)
    {
        Assert.That(File.Exists(ProgramPath), Is.True, "built by the compile test above");
        var mono = new[] { "/usr/bin/mono", "/usr/local/bin/mono" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("mono is not installed (./build.sh --target=ReadmeTest installs it: apt-get install -y mono-devel).");
        var environment = new Dictionary<string, string> { ["README_KATANA_CONNECTION_STRING"] = ReadmeDatabase.ConnectionString };
        if (closedDatabasePort is int port)
        {
            environment["README_KATANA_CLOSED_CONNECTION_STRING"] = string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={port};Username=rt;Database=rt");
        }

        var (exitCode, output) = await Shell.RunAsync(mono, [ProgramPath], _project, TimeSpan.FromMinutes(2), environment);
        TestContext.Out.WriteLine(output);
        Assert.That(exitCode, Is.EqualTo(0), output);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    // The documented example line (the ```text block just below the <system.diagnostics> block), as a pattern: its
    // two figures of the run (elapsed milliseconds, the closed port) become [0-9]+; the rest must match as printed.
    private static string DocumentedLinePattern()
    {
        var blocks = Documents.Blocks(FrameworkDocument);
        var config = blocks.FindIndex(block => block.Info == AppConfigFence);
        Assert.That(config, Is.GreaterThanOrEqualTo(0), $"{FrameworkDocument} has a ```{AppConfigFence} block");
        var example = blocks[config + 1];
        Assert.That(example.Language, Is.EqualTo("text"), "the example line follows the config block");
        var pattern = Regex.Escape(example.Text.Trim());
        pattern = Regex.Replace(pattern, @"after\\ [0-9]+\\ ms", @"after\ [0-9]+\ ms");
        pattern = Regex.Replace(pattern, ":[0-9]+$", ":[0-9]+");
        return "^" + pattern + "$";
    }

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
            // The harness's Katana: its pipeline builder, and the repository's stand-in for Katana's Owin package.
            ["Microsoft.Owin"] = "4.2.2",
            ["Owin"] = OwinFixtureVersion,
        };
        foreach (var block in blocks)
        {
            foreach (var (id, named) in Documents.NamedPackages(block))
            {
                if (id == "Owin")
                {
                    continue; // Katana's package, which the package source does not serve: the test package above
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
        LocalNuGetConfig.Write(_project, ("test-packages", Path.Combine(Documents.RepositoryRoot, "artifacts", "test-packages")));
        File.WriteAllText(Path.Combine(_project, "App.config"), AppConfigBlock().Text + "\n");
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

    // The documented <system.diagnostics> block, a whole App.config as printed.
    private static DocumentBlock AppConfigBlock() =>
        Documents.Blocks(FrameworkDocument).Single(block => block.Info == AppConfigFence);

    private static string FrameworkDocument => Path.Combine(Documents.RepositoryRoot, "docs", "dotnet-framework.md");

    private async Task<(int ExitCode, string Output)> BuildAsync() =>
        await Shell.RunAsync("dotnet", ["build", "-c", "Release", "-nologo", "-clp:NoSummary"], _project, BuildTimeout,
            new Dictionary<string, string> { ["MSBUILDDISABLENODEREUSE"] = "1" });
}
