using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>
/// docs/hosting.md says a host package does not bring the middleware; the packed host packages' dependencies
/// (their .nuspec in artifacts/packages) must agree. The control: HealthEndpoint.Owin.Redis, which does depend on
/// HealthEndpoint.Owin, is seen to.
/// </summary>
[TestFixture]
public sealed class HostPackageDependenciesTests
{
    private const string Sentence = "A host package does not bring the middleware: neither depends on `HealthEndpoint.Owin`";

    [TestCase("HealthEndpoint.Owin.Host.HttpListener")]
    [TestCase("HealthEndpoint.Owin.Host.Kestrel")]
    public void HostPackage_DoesNotDependOnTheMiddleware_AsHostingMdSays(string package)
    {
        var hosting = File.ReadAllText(Path.Combine(Documents.RepositoryRoot, "docs", "hosting.md")).ReplaceLineEndings(" ");

        Assert.That(hosting, Does.Contain(Sentence));
        Assert.That(Dependencies(package), Does.Not.Contain("HealthEndpoint.Owin"));
    }

    [Test]
    public void Control_TheRedisPackage_DependsOnTheMiddleware()
    {
        Assert.That(Dependencies("HealthEndpoint.Owin.Redis"), Does.Contain("HealthEndpoint.Owin"));
    }

    // Every dependency id of every target framework group in the packed .nuspec.
    private static HashSet<string> Dependencies(string package)
    {
        var path = Path.Combine(Documents.RepositoryRoot, "artifacts", "packages", $"{package}.{Documents.Metadata("HealthEndpointVersion")}.nupkg");
        using var archive = ZipFile.OpenRead(path);
        var nuspec = archive.Entries.Single(entry => entry.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspec.Open();
        var dependencies = XDocument.Load(stream).Descendants().Where(element => element.Name.LocalName == "dependency")
            .Select(element => (string)element.Attribute("id")!)
            .ToHashSet(StringComparer.Ordinal);
        TestContext.Out.WriteLine($"{package}: {string.Join(", ", dependencies)}");
        return dependencies;
    }
}
