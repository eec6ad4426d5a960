using System;
using System.IO;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Readme.Tests.AspNetCore;

/// <summary>
/// Copies tests/AspNetCoreConsumer out of the repository and builds it once, for net8.0 and net10.0 in one
/// <c>dotnet build</c> from artifacts/packages, for both fixtures of <see cref="AspNetCoreConsumerTests"/>; removes it after them.
/// </summary>
[SetUpFixture]
public sealed class AspNetCoreConsumerBuild
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The built copy's folder.</summary>
    public static string Root { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task BuildOnce()
    {
        Root = Path.Combine(Path.GetTempPath(), "healthendpoint-aspnetcore-consumer-" + Guid.NewGuid().ToString("N"));
        await BuildAsync(Root);
    }

    [OneTimeTearDown]
    public void Delete()
    {
        if (Root is not null && Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private static async Task BuildAsync(string root)
    {
        Directory.CreateDirectory(root);
        foreach (var file in Directory.GetFiles(Path.Combine(Documents.RepositoryRoot, "tests", "AspNetCoreConsumer")))
        {
            File.Copy(file, Path.Combine(root, Path.GetFileName(file)));
        }

        LocalNuGetConfig.Write(root);
        var build = await Shell.RunAsync(
            "dotnet",
            ["build", "-c", "Release", "-nologo", $"-p:HealthEndpointVersion={Documents.Metadata("HealthEndpointVersion")}", $"-p:RestorePackagesPath={Documents.Metadata("RestorePackagesPath")}"],
            root,
            BuildTimeout);
        Assert.That(build.ExitCode, Is.EqualTo(0), build.Output);
    }
}
