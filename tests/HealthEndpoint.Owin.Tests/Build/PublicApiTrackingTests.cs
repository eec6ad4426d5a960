using System;
using System.IO;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests.Build;

/// <summary>
/// The public API is tracked for every library under src/: a small library placed as if it were one (it imports
/// src/Directory.Build.props and .targets and the central package versions, exactly what a src project gets) builds
/// while its PublicAPI files match its code, and fails with RS0016 naming a public member added without its line,
/// and with RS0017 naming a listed member that is gone.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PublicApiTrackingTests
{
    private const string Widget = """
        namespace Tiny;

        /// <summary>A type whose public API is declared.</summary>
        public sealed class Widget
        {
            private readonly string _name = "widget";

            /// <summary>Gets the name.</summary>
            public string Name => _name;
        //ADDED
        }
        """;

    private const string Declared = "#nullable enable\nTiny.Widget\nTiny.Widget.Name.get -> string!\nTiny.Widget.Widget() -> void\n";
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(3);

    private string _directory = null!;

    [OneTimeSetUp]
    public async Task CreateLibraryAsync()
    {
        var src = Path.Combine(Repository.Root(), "src");
        _directory = Path.Combine(Path.GetTempPath(), "healthendpoint-public-api-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        Write("Directory.Build.props", $"<Project><Import Project=\"{src}/Directory.Build.props\" /></Project>");
        Write("Directory.Build.targets", $"<Project><Import Project=\"{src}/Directory.Build.targets\" /></Project>");
        Write("Directory.Packages.props", $"<Project><Import Project=\"{src}/../Directory.Packages.props\" /></Project>");
        // One target framework keeps each build to a few seconds; the tracking is the same for every target.
        Write("Tiny.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFrameworks>net8.0</TargetFrameworks></PropertyGroup></Project>");
        Write("PublicAPI.Shipped.txt", "#nullable enable\n");
        var restore = await DotnetAsync("restore", "-nodeReuse:false");
        Assert.That(restore.ExitCode, Is.Zero, restore.Output);
    }

    [OneTimeTearDown]
    public void DeleteLibrary() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Build_PublicApiFilesMatchTheCode_Succeeds()
    {
        var result = await BuildAsync(Widget, Declared);

        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(result.Output, Does.Not.Contain("RS00"));
    }

    [Test]
    public async Task Build_PublicMemberAddedWithoutItsLine_FailsWithRS0016NamingIt()
    {
        var code = Widget.Replace("//ADDED", "    /// <summary>Added later.</summary>\n    public int Size() => _name.Length;", StringComparison.Ordinal);

        var result = await BuildAsync(code, Declared);

        Assert.That(result.ExitCode, Is.Not.Zero, result.Output);
        Assert.That(result.Output, Does.Contain("error RS0016: Symbol 'Tiny.Widget.Size() -> int' is not part of the declared public API"));
    }

    [Test]
    public async Task Build_DeclaredMemberRemoved_FailsWithRS0017NamingIt()
    {
        var result = await BuildAsync(Widget, Declared + "Tiny.Widget.Color.get -> string!\n");

        Assert.That(result.ExitCode, Is.Not.Zero, result.Output);
        Assert.That(result.Output, Does.Contain("error RS0017: Symbol 'Tiny.Widget.Color.get -> string!' is part of the declared API"));
    }

    private async Task<(int ExitCode, string Output)> BuildAsync(string code, string unshipped)
    {
        Write("Widget.cs", code);
        Write("PublicAPI.Unshipped.txt", unshipped);
        return await DotnetAsync("build", "--no-restore", "-nologo", "-clp:NoSummary", "-nodeReuse:false");
    }

    private async Task<(int ExitCode, string Output)> DotnetAsync(params string[] arguments)
    {
        var command = new ProgramCommand("dotnet", [.. arguments, Path.Combine(_directory, "Tiny.csproj")]);
        await using var process = ProgramProcess.Start(command);
        await process.WaitForExitAsync(BuildTimeout);
        return (process.ExitCode, process.Output);
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_directory, name), text);
}
