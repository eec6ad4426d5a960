using System.Linq;

namespace HealthEndpoint.Owin.Tests.Build;

/// <summary>
/// HealthEndpoint.AspNetCore's own budget: at most <see cref="Budget"/> public API lines in its PublicAPI files, the
/// size of ASP.NET Core's own health checks middleware. Its options are the core's; it adds registration and little else.
/// </summary>
[TestFixture]
public sealed class AspNetCorePublicApiSizeTests
{
    private const int Budget = 30;
    private const string Package = "HealthEndpoint.AspNetCore";

    [Test]
    public void PublicApiFiles_AspNetCorePackage_WithinItsBudget()
    {
        var files = Repository.SourceFiles("PublicAPI.*.txt").Where(file => file.File.Split('/')[1] == Package).ToList();

        var lines = files.SelectMany(file => file.Text.Split('\n')).Where(line => line.Trim().Length > 0 && !line.StartsWith('#')).ToList();
        TestContext.Out.WriteLine($"{lines.Count} public API lines in {Package}:\n{string.Join("\n", lines)}");

        Assert.That(files, Is.Not.Empty, "the package's PublicAPI files are found");
        Assert.That(lines, Has.Count.LessThanOrEqualTo(Budget));
    }
}
