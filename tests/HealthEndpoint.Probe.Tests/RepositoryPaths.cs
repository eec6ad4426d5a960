using System;
using System.IO;
using System.Linq;

namespace HealthEndpoint.Probe.Tests;

/// <summary>Build outputs and documents of this repository, found from the test's own output folder.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder holding <c>HealthEndpoint.Owin.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration this test assembly was built in (and so its references).</summary>
    private static string Configuration =>
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    /// <summary>The tool as built: <c>src/HealthEndpoint.Probe/bin/&lt;configuration&gt;/net8.0/healthendpoint-probe.dll</c>.</summary>
    public static string ProbeDll => Path.Combine(Root, "src", "HealthEndpoint.Probe", "bin", Configuration, "net8.0", "healthendpoint-probe.dll");

    /// <summary>The sample app as built (beside its native SQLite library, under its runtime identifier folder).</summary>
    public static string LegacyAppDll =>
        Directory.GetFiles(Path.Combine(Root, "samples", "LegacyApp", "bin", Configuration, "net10.0"), "LegacyApp.dll", SearchOption.AllDirectories)
            .Single();

    /// <summary>A recipe's markdown, e.g. <c>docker-healthcheck.md</c>.</summary>
    public static string Recipe(string fileName) => Path.Combine(Root, "docs", "recipes", fileName);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HealthEndpoint.Owin.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("HealthEndpoint.Owin.sln not found above " + AppContext.BaseDirectory);
    }
}
