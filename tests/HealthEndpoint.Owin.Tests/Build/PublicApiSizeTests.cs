using System.Collections.Generic;
using System.Linq;

namespace HealthEndpoint.Owin.Tests.Build;

/// <summary>
/// The public surface stays within its budget: the PublicAPI files of every package together declare at most
/// <see cref="Budget"/> members. Growing past it is a decision to write down (raise the budget in the same change,
/// saying why), not something a helper type slips in.
/// </summary>
[TestFixture]
public sealed class PublicApiSizeTests
{
    private const int Budget = 180;

    [Test]
    public void PublicApiFiles_AllPackagesTogether_WithinTheBudget()
    {
        // HealthEndpoint.AspNetCore keeps its own budget (AspNetCorePublicApiSizeTests); this one stays the OWIN packages'.
        var perPackage = DeclaredLines(Repository.SourceFiles("PublicAPI.*.txt").Where(file => file.File.Split('/')[1] != "HealthEndpoint.AspNetCore"));

        var total = perPackage.Values.Sum();
        var summary = string.Join(", ", perPackage.Select(package => $"{package.Key} {package.Value}"));
        TestContext.Out.WriteLine($"{total} public API lines: {summary}");
        Assert.That(perPackage, Has.Count.GreaterThanOrEqualTo(7), "the scan finds every package's files");
        Assert.That(total, Is.LessThanOrEqualTo(Budget), summary);
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
