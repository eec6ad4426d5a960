using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace HealthEndpoint.Owin.Tests.Build;

/// <summary>
/// The naming rule of CONTRIBUTING.md ("Namespaces and names"), over the built assemblies of every library package:
/// each public type lives in the namespace equal to its package id (= assembly name), and no public type is named
/// like a segment of those namespaces (a type <c>HealthEndpoint</c> would hide the <c>HealthEndpoint</c> namespace).
/// </summary>
/// <remarks>
/// The assemblies are this project's project references, loaded by name, so they are the ones built with it, in
/// whatever configuration. The probe tool (<c>HealthEndpoint.Probe</c>) is a tool without a public type, not a library.
/// </remarks>
[TestFixture]
public sealed class NamespaceRuleTests
{
    /// <summary>Every library package under src/, by package id.</summary>
    private static readonly string[] Packages =
    [
        "HealthEndpoint.Owin",
        "HealthEndpoint.Owin.Redis",
        "HealthEndpoint.Owin.HealthChecks",
        "HealthEndpoint.Owin.Prometheus",
        "HealthEndpoint.Owin.Plugin",
        "HealthEndpoint.Owin.Host.HttpListener",
        "HealthEndpoint.Owin.Host.Kestrel",
        "HealthEndpoint.AspNetCore",
    ];

    [Test]
    public void Packages_AreEveryLibraryUnderSrc()
    {
        Assert.That(LibraryProjectsUnderSrc(), Is.EquivalentTo(Packages), "a new library under src/ belongs in Packages");
    }

    [Test]
    public void EveryPublicType_IsInTheNamespaceOfItsPackageAndNamedUnlikeANamespace()
    {
        var segments = NamespaceSegments(Packages);
        var problems = new List<string>();
        var checkedTypes = 0;
        foreach (var package in Packages)
        {
            var assembly = Assembly.Load(new AssemblyName(package));
            Assert.That(assembly.GetName().Name, Is.EqualTo(package), "the assembly name is the package id");
            var types = assembly.GetExportedTypes();
            checkedTypes += types.Length;
            problems.AddRange(Problems(package, types, segments));
        }

        Assert.That(checkedTypes, Is.GreaterThanOrEqualTo(20), "the scan sees the packages' public types");
        Assert.That(problems, Is.Empty, "public types breaking the rule:\n" + string.Join("\n", problems));
    }

    [Test]
    public void Problems_ControlATypeInAnotherNamespaceNamedLikeANamespace_Reported()
    {
        var problems = Problems("HealthEndpoint.Owin", [typeof(NamespaceRuleControl.HealthEndpoint)], NamespaceSegments(Packages));

        Assert.That(problems, Is.EqualTo(new[]
        {
            "HealthEndpoint.Owin.Tests.Build.NamespaceRuleControl+HealthEndpoint (HealthEndpoint.Owin): in namespace HealthEndpoint.Owin.Tests.Build, not HealthEndpoint.Owin",
            "HealthEndpoint.Owin.Tests.Build.NamespaceRuleControl+HealthEndpoint (HealthEndpoint.Owin): named like the namespace segment 'HealthEndpoint'",
        }));
    }

    [Test]
    public void Problems_ControlATypeOfTheRightNamespace_NotReported()
    {
        Assert.That(Problems("HealthEndpoint.Owin.Tests.Build", [typeof(NamespaceRuleTests)], NamespaceSegments(Packages)), Is.Empty);
    }

    /// <summary>What breaks the rule among <paramref name="types"/>, the public types of package <paramref name="package"/>.</summary>
    private static List<string> Problems(string package, IEnumerable<Type> types, HashSet<string> segments)
    {
        var problems = new List<string>();
        foreach (var type in types.OrderBy(type => type.FullName, StringComparer.Ordinal))
        {
            if (!string.Equals(type.Namespace, package, StringComparison.Ordinal))
            {
                problems.Add($"{type.FullName} ({package}): in namespace {type.Namespace ?? "(global)"}, not {package}");
            }

            // A generic type's name carries its arity (`1); C# code names it without.
            var name = type.Name.Split('`')[0];
            if (segments.Contains(name))
            {
                problems.Add($"{type.FullName} ({package}): named like the namespace segment '{name}'");
            }
        }

        return problems;
    }

    /// <summary>Every segment of the packages' namespaces: HealthEndpoint, Owin, Redis, Host, Kestrel, ...</summary>
    private static HashSet<string> NamespaceSegments(IEnumerable<string> packages) =>
        packages.SelectMany(package => package.Split('.')).ToHashSet(StringComparer.Ordinal);

    /// <summary>The projects under src/ that pack a library: each src/&lt;id&gt;/&lt;id&gt;.csproj that is not a tool.</summary>
    private static List<string> LibraryProjectsUnderSrc() =>
        Directory.EnumerateDirectories(Path.Combine(Repository.Root(), "src"))
            .Select(directory => Path.Combine(directory, Path.GetFileName(directory) + ".csproj"))
            .Where(project => File.Exists(project) && !File.ReadAllText(project).Contains("<PackAsTool>true</PackAsTool>", StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension)
            .Select(name => name!)
            .ToList();
}

/// <summary>Holds the control of <see cref="NamespaceRuleTests"/>: a public type that breaks both halves of the rule.</summary>
public static class NamespaceRuleControl
{
    /// <summary>Named like the root namespace segment, and in this test's namespace rather than a package's.</summary>
    public sealed class HealthEndpoint
    {
    }
}
