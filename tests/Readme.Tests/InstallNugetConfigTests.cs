using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>
/// README's Install: the repository-local <c>nuget.config</c> it prints (its placeholder path replaced by this
/// clone's artifacts/packages) lets <c>dotnet add package HealthEndpoint.Owin</c> restore in a fresh project with a
/// fresh HOME, and writes nothing user-wide; the control is the same project without it (NU1101). And what the README
/// says of <c>dotnet nuget add source</c>: it writes the user-wide config even beside a <c>nuget.config</c>.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class InstallNugetConfigTests
{
    private const string Placeholder = "/path/to/HealthEndpoint.Owin/artifacts/packages";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    [Test]
    public async Task ReadmeNugetConfig_InAFreshProject_AddPackageRestoresAndNothingUserWideChanges()
    {
        using var project = new FreshProject();
        project.WriteNugetConfig();

        var (exitCode, output) = await project.RunAsync("add", "package", "HealthEndpoint.Owin", "--version", Documents.Metadata("HealthEndpointVersion"));

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(project.UserWideConfig(), Does.Not.Contain("healthendpoint"));
    }

    [Test]
    public async Task Control_WithoutTheNugetConfig_AddPackageFindsNoPackage()
    {
        using var project = new FreshProject();

        var (exitCode, output) = await project.RunAsync("add", "package", "HealthEndpoint.Owin", "--version", Documents.Metadata("HealthEndpointVersion"));

        Assert.That(exitCode, Is.Not.Zero, output);
        Assert.That(output, Does.Contain("NU1101"));
    }

    [Test]
    public async Task DotnetNugetAddSource_BesideTheNugetConfig_WritesTheUserWideConfig()
    {
        using var project = new FreshProject();
        project.WriteNugetConfig();
        var local = File.ReadAllText(project.NugetConfig);

        // Another folder than the nuget.config's: NuGet refuses a source it already has.
        var (exitCode, output) = await project.RunAsync("nuget", "add", "source", project.OtherFeed, "--name", "healthendpoint-user");

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(project.UserWideConfig(), Does.Contain("healthendpoint-user"), "the source went user-wide");
        Assert.That(File.ReadAllText(project.NugetConfig), Is.EqualTo(local), "the repository's nuget.config is unchanged");
    }

    // The README's ```xml block under Install.
    private static string ReadmeNugetConfig()
    {
        var block = Documents.Blocks(Documents.Readme).Single(block => block.Language == "xml" && block.Text.Contains("<packageSources>", StringComparison.Ordinal));
        Assert.That(block.Text, Does.Contain(Placeholder), "the placeholder the test replaces");
        return block.Text.Replace(Placeholder, Path.Combine(Documents.RepositoryRoot, "artifacts", "packages"), StringComparison.Ordinal);
    }

    /// <summary>An empty net10.0 project in a temp folder outside the repository, with a HOME and package folder of its own.</summary>
    private sealed class FreshProject : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "healthendpoint-nugetconfig-" + Guid.NewGuid().ToString("N"));

        public FreshProject()
        {
            Directory.CreateDirectory(Path.Combine(_root, "home"));
            Directory.CreateDirectory(Path.Combine(_root, "app"));
            File.WriteAllText(Path.Combine(_root, "app", "App.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                  </PropertyGroup>
                </Project>
                """);
        }

        public string NugetConfig => Path.Combine(_root, "app", "nuget.config");

        public string OtherFeed => Path.Combine(_root, "feed");

        public void WriteNugetConfig()
        {
            var text = ReadmeNugetConfig();
            TestContext.Out.WriteLine(text);
            File.WriteAllText(NugetConfig, text);
        }

        public string UserWideConfig()
        {
            var path = Path.Combine(_root, "home", ".nuget", "NuGet", "NuGet.Config");
            return File.Exists(path) ? File.ReadAllText(path) : string.Empty;
        }

        public Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
        {
            var home = Path.Combine(_root, "home");
            return Shell.RunAsync("dotnet", arguments, Path.Combine(_root, "app"), CommandTimeout, new Dictionary<string, string>
            {
                ["HOME"] = home,
                ["DOTNET_CLI_HOME"] = home,
                ["NUGET_PACKAGES"] = Path.Combine(_root, "packages"),
                ["DOTNET_NOLOGO"] = "1",
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            });
        }

        public void Dispose() => Directory.Delete(_root, recursive: true);
    }
}
