using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>
/// The packages' version (VersionPrefix in src/Directory.Build.props) and what the documentation says about it agree:
/// the README's "Version X." sentence and every printed <c>--version</c>/<c>-Version</c>/<c>Version="..."</c> are that
/// version, and the stability words match it (a 1.x release version: Semantic Versioning, no "pre-release" or
/// "before 1.0" wording; a 0.x or pre-release version: the README says pre-release).
/// </summary>
[TestFixture]
public sealed partial class VersionWordsTests
{
    [Test]
    public void Documents_VersionAndStabilityWords_AgreeWithThePackagesVersion()
    {
        var version = XDocument.Load(Path.Combine(Documents.RepositoryRoot, "src", "Directory.Build.props"))
            .Descendants().Single(element => element.Name.LocalName == "VersionPrefix").Value;
        var documents = Documents.All().ToDictionary(path => path, File.ReadAllText);

        Assert.That(version, Is.EqualTo(Documents.Metadata("HealthEndpointVersion")), "the control: the packed version is the one tested");
        Assert.That(Problems(version, File.ReadAllText(Documents.Readme), documents), Is.Empty);
    }

    [Test]
    public void Control_AReadmeThatCallsTheReleaseAPreReleaseOrNamesAnotherVersion_Fails()
    {
        var readme = File.ReadAllText(Documents.Readme);
        var documents = new Dictionary<string, string> { [Documents.Readme] = readme.Replace("--version 1.0.0", "--version 0.9.0", StringComparison.Ordinal) };

        Assert.That(Problems("1.0.0", readme + "\nBefore 1.0 a rename is an edit.\n", new Dictionary<string, string>()), Has.Some.Contains("before 1.0"));
        Assert.That(Problems("1.0.0", readme, documents), Has.Some.Contains("0.9.0"));
        Assert.That(Problems("1.1.0", readme, new Dictionary<string, string>()), Has.Some.Contains("Version 1.1.0"));
        Assert.That(Problems("0.9.0", readme, new Dictionary<string, string>()), Has.Some.Contains("pre-release"));
    }

    private static List<string> Problems(string version, string readme, IReadOnlyDictionary<string, string> documents)
    {
        var problems = new List<string>();
        if (!readme.Contains($"Version {version}.", StringComparison.Ordinal))
        {
            problems.Add($"README.md does not say 'Version {version}.'");
        }

        var stable = !version.Contains('-', StringComparison.Ordinal) && !version.StartsWith("0.", StringComparison.Ordinal);
        if (stable)
        {
            if (!readme.Contains("Semantic Versioning", StringComparison.Ordinal))
            {
                problems.Add("a release version, but README.md does not say it follows Semantic Versioning");
            }

            foreach (var (path, text) in documents.Append(new KeyValuePair<string, string>("README.md (given)", readme)))
            {
                foreach (var words in new[] { "before 1.0", "pre-release version", "not stable", "unstable API" })
                {
                    if (text.Contains(words, StringComparison.OrdinalIgnoreCase))
                    {
                        problems.Add($"{Path.GetFileName(path)} says '{words}' of a {version} release");
                    }
                }
            }
        }
        else if (!readme.Contains("pre-release", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{version} is a pre-release, and README.md does not say so");
        }

        foreach (var (path, text) in documents)
        {
            foreach (Match printed in PrintedVersion().Matches(text))
            {
                if (printed.Groups["version"].Value != version)
                {
                    problems.Add($"{Path.GetFileName(path)} prints {printed.Value}, not {version}");
                }
            }
        }

        return problems;
    }

    // "--version 1.0.0", "-Version 1.0.0", Version="1.0.0" where a HealthEndpoint package is installed or referenced.
    [GeneratedRegex(@"HealthEndpoint[.\w]* (--version|-Version) (?<version>\d+\.\d+\.\d+[-.\w]*)|Include=""HealthEndpoint[.\w]*"" Version=""(?<version>[^""]+)""")]
    private static partial Regex PrintedVersion();
}
