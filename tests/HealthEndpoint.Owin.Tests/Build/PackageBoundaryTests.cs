using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace HealthEndpoint.Owin.Tests.Build;

/// <summary>
/// Packages meet at their public API (STYLE.md, "Packages meet at their public API"): no shipped package grants
/// another its internals, because an app may update one package without the other and a renamed internal is then a
/// <c>MissingMethodException</c> at startup; and a shared project compiled into several packages (a <c>.projitems</c>
/// folder such as Hosting.Core) declares no public API under <c>#if</c>, where one package's surface would hide.
/// </summary>
[TestFixture]
public sealed partial class PackageBoundaryTests
{
    [Test]
    public void InternalsVisibleTo_BetweenShippedPackages_None()
    {
        var projects = Repository.SourceFiles("*.csproj").ToList();
        var packages = projects.Select(project => Path.GetFileNameWithoutExtension(project.File)).ToHashSet();
        var sources = projects.Concat(Repository.SourceFiles("*.cs"));

        var grants = Grants(sources).ToList();
        var problems = ProblemsOf(grants, packages);

        TestContext.Out.WriteLine($"{grants.Count} InternalsVisibleTo grants under src/, {packages.Count} packages: {string.Join(", ", packages.Order())}");
        Assert.That(grants, Is.Not.Empty, "the scan sees the grants to test projects");
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    [Test]
    public void InternalsVisibleTo_ControlGrantToASiblingPackage_Reported()
    {
        var grants = Grants(
        [
            ("src/A/A.csproj", "<ItemGroup>\n  <InternalsVisibleTo Include=\"B\" />\n  <InternalsVisibleTo Include=\"A.Tests\" />\n</ItemGroup>"),
            ("src/B/Properties/AssemblyInfo.cs", "[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"A\")]"),
        ]).ToList();

        var problems = ProblemsOf(grants, new HashSet<string> { "A", "B" });

        Assert.That(grants, Has.Count.EqualTo(3));
        Assert.That(problems, Is.EqualTo(new[] { "src/A/A.csproj grants B its internals", "src/B/Properties/AssemblyInfo.cs grants A its internals" }));
    }

    [Test]
    public void SharedProjects_DeclareNoPublicApiUnderIf()
    {
        var shared = Repository.SourceFiles("*.projitems").Select(file => Path.GetDirectoryName(file.File)!.Replace('\\', '/') + "/").ToList();
        var files = Repository.SourceFiles("*.cs").Where(file => shared.Any(folder => file.File.StartsWith(folder, System.StringComparison.Ordinal))).ToList();

        var problems = files.SelectMany(file => PublicUnderIf(file.File, file.Text)).ToList();

        TestContext.Out.WriteLine($"{files.Count} files in the shared projects {string.Join(", ", shared)}");
        Assert.That(files, Is.Not.Empty, "the scan sees Hosting.Core's files");
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    [Test]
    public void SharedProjects_ControlPublicPropertyUnderIf_Reported()
    {
        const string Source = """
            public sealed partial class ServerOptions
            {
                public int Port { get; set; }
            #if KESTREL_HOST
                internal int Backlog { get; set; }
                public System.TimeSpan FirstBytesTimeout { get; set; }
            #else
                public string? Prefix { get; set; }
            #endif
            }
            """;

        Assert.That(
            PublicUnderIf("src/Shared/ServerOptions.cs", Source),
            Is.EqualTo(new[] { "src/Shared/ServerOptions.cs:6 public under #if", "src/Shared/ServerOptions.cs:8 public under #if" }));
    }

    private static IEnumerable<(string File, string Grantee)> Grants(IEnumerable<(string File, string Text)> files) =>
        files.SelectMany(file => GrantPattern().Matches(file.Text).Select(match => (file.File, match.Groups["grantee"].Value)));

    // A grant to a test project is fine; one to another package under src/ is the coupling this rule forbids.
    private static List<string> ProblemsOf(IEnumerable<(string File, string Grantee)> grants, HashSet<string> packages) =>
        grants.Where(grant => packages.Contains(grant.Grantee)).Select(grant => $"{grant.File} grants {grant.Grantee} its internals").ToList();

    private static IEnumerable<string> PublicUnderIf(string file, string text)
    {
        var depth = 0;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("#if", System.StringComparison.Ordinal))
            {
                depth++;
            }
            else if (line.StartsWith("#endif", System.StringComparison.Ordinal))
            {
                depth--;
            }
            else if (depth > 0 && PublicPattern().IsMatch(line))
            {
                yield return $"{file}:{i + 1} public under #if";
            }
        }
    }

    [GeneratedRegex(@"InternalsVisibleTo(\s+Include=|\()\s*""(?<grantee>[^"",]+)")]
    private static partial Regex GrantPattern();

    [GeneratedRegex(@"^(\[[^\]]*\]\s*)*public\b")]
    private static partial Regex PublicPattern();
}
