using System.Collections.Generic;
using System.Linq;

namespace HealthEndpoint.Owin.Tests.Build;

/// <summary>
/// The public surface stays within its budgets: the PublicAPI files of the OWIN packages together declare at most
/// <see cref="OwinBudget"/> members, and the ASP.NET Core adapter's its own <see cref="AspNetCoreBudget"/>. Growing
/// past one is a decision to write down (raise the budget in the same change, saying why), not something a helper
/// type slips in; a new package gets a budget of its own the same way.
/// </summary>
[TestFixture]
public sealed class PublicApiSizeTests
{
    private const int OwinBudget = 180;
    private const int AspNetCoreBudget = 30;
    private const string AspNetCore = "HealthEndpoint.AspNetCore";

    /// <summary>The packages the 180-line budget was set for.</summary>
    private static readonly string[] OwinPackages =
    [
        "HealthEndpoint.Owin",
        "HealthEndpoint.Owin.Redis",
        "HealthEndpoint.Owin.HealthChecks",
        "HealthEndpoint.Owin.Prometheus",
        "HealthEndpoint.Owin.Plugin",
        "HealthEndpoint.Owin.Host.HttpListener",
        "HealthEndpoint.Owin.Host.Kestrel",
        "HealthEndpoint.Probe",
    ];

    [Test]
    public void PublicApiFiles_OwinPackagesTogether_WithinTheBudget()
    {
        // HealthEndpoint.AspNetCore keeps its own budget (the next test); this one stays the OWIN packages'.
        var perPackage = DeclaredLines(Repository.SourceFiles("PublicAPI.*.txt").Where(file => file.File.Split('/')[1] != AspNetCore));

        var owin = perPackage.Where(package => OwinPackages.Contains(package.Key)).ToList();
        var total = owin.Sum(package => package.Value);
        var summary = string.Join(", ", owin.Select(package => $"{package.Key} {package.Value}"));
        TestContext.Out.WriteLine($"{total} public API lines of {OwinBudget}: {summary}");
        Assert.That(owin, Has.Count.EqualTo(OwinPackages.Length), "the scan finds every OWIN package's files");
        Assert.That(total, Is.LessThanOrEqualTo(OwinBudget), summary);
    }

    [Test]
    public void PublicApiFiles_AspNetCorePackage_WithinItsOwnBudget()
    {
        var perPackage = DeclaredLines(Repository.SourceFiles("PublicAPI.*.txt"));

        Assert.That(perPackage, Does.ContainKey(AspNetCore), "the scan finds the package's files");
        TestContext.Out.WriteLine($"{AspNetCore}: {perPackage[AspNetCore]} public API lines of {AspNetCoreBudget}");
        Assert.That(perPackage[AspNetCore], Is.LessThanOrEqualTo(AspNetCoreBudget));
    }

    [Test]
    public void PublicApiFiles_EveryPackage_HasABudget()
    {
        var packages = DeclaredLines(Repository.SourceFiles("PublicAPI.*.txt")).Keys;

        Assert.That(packages.Except(OwinPackages.Append(AspNetCore)), Is.Empty, "a package without a budget");
    }

    [Test]
    public void DeclaredLines_ControlCommentsAndBlankLinesNotCounted_MembersAre()
    {
        var perPackage = DeclaredLines(
        [
            ("src/A/PublicAPI.Unshipped.txt", "#nullable enable\nA.Widget\n\nA.Widget.Widget() -> void\n"),
            ("src/A/PublicAPI/net8.0/PublicAPI.Unshipped.txt", "#nullable enable\nA.Widget.Span.get -> int\n"),
        ]);

        Assert.That(perPackage, Is.EqualTo(new Dictionary<string, int> { ["A"] = 3 }));
    }

    private static Dictionary<string, int> DeclaredLines(IEnumerable<(string File, string Text)> files) =>
        files
            .GroupBy(file => file.File.Split('/')[1])
            .ToDictionary(
                package => package.Key,
                package => package.Sum(file => file.Text.Split('\n').Count(line => line.Trim().Length > 0 && !line.StartsWith('#'))));
}
