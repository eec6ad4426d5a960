using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>
/// Each nupkg in artifacts/packages carries its own short README (src/&lt;project&gt;/README.md), not the repository's:
/// at most 80 lines, named as the package readme, titled with the package id, with an install line and a link.
/// </summary>
[TestFixture]
public sealed class PackageReadmeTests
{
    private const int MaximumLines = 80;

    private static IEnumerable<string> PackageIds() =>
        Directory.GetDirectories(Path.Combine(Documents.RepositoryRoot, "src"))
            .Where(project => Directory.GetFiles(project, "*.csproj").Length == 1)
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)!;

    [TestCaseSource(nameof(PackageIds))]
    public void Nupkg_CarriesItsOwnShortReadme(string id)
    {
        var package = Path.Combine(Documents.RepositoryRoot, "artifacts", "packages", $"{id}.{Documents.Metadata("HealthEndpointVersion")}.nupkg");
        Assert.That(File.Exists(package), Is.True, $"{package} (./build.sh --target=Pack)");

        using var zip = ZipFile.OpenRead(package);
        var readmeEntry = zip.GetEntry("README.md");
        Assert.That(readmeEntry, Is.Not.Null, "README.md in the package");
        using var nuspec = new StreamReader(zip.GetEntry($"{id}.nuspec")!.Open());
        var readmeField = XDocument.Parse(nuspec.ReadToEnd()).Descendants().FirstOrDefault(element => element.Name.LocalName == "readme")?.Value;
        using var reader = new StreamReader(readmeEntry!.Open());
        var packed = reader.ReadToEnd();

        Assert.That(readmeField, Is.EqualTo("README.md"), "the nuspec names it as the package readme");
        Assert.That(packed, Is.EqualTo(File.ReadAllText(Path.Combine(Documents.RepositoryRoot, "src", id, "README.md"))), "the project's own README, as in the source");
        Assert.That(Problems(id, packed), Is.Empty);
    }

    [Test]
    public void Control_TheRepositoryReadmeOrABareReadme_Fails()
    {
        var repositoryReadme = File.ReadAllText(Documents.Readme);

        Assert.That(Problems("HealthEndpoint.Owin.Redis", repositoryReadme), Has.Some.Contains("lines"), "the 300-line repository README is too long and has another title");
        Assert.That(Problems("HealthEndpoint.Owin.Redis", "# HealthEndpoint.Owin.Redis\n\nA check.\n"), Has.Some.Contains("install").And.Some.Contains("link"));
    }

    private static List<string> Problems(string id, string readme)
    {
        var problems = new List<string>();
        var lines = readme.TrimEnd('\n').Split('\n');
        if (lines.Length > MaximumLines)
        {
            problems.Add($"{lines.Length} lines, more than {MaximumLines}");
        }

        if (lines[0] != "# " + id)
        {
            problems.Add($"the title is '{lines[0]}', not '# {id}'");
        }

        if (!lines.Any(line => (line.StartsWith("dotnet add package " + id + " ", StringComparison.Ordinal) || line.StartsWith("dotnet tool install " + id + " ", StringComparison.Ordinal))))
        {
            problems.Add("no install line (dotnet add package / dotnet tool install) for " + id);
        }

        if (!readme.Contains("https://", StringComparison.Ordinal))
        {
            problems.Add("no link to the full documentation");
        }

        return problems;
    }
}
