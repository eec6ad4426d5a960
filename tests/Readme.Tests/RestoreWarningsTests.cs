using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>
/// The README's first command, <c>dotnet run --project samples/LegacyApp</c>, restores without a NuGet warning: the
/// restore is forced (re-resolved as in a fresh clone) and its output must hold no NU1xxx line. The control turns the
/// pins off (<c>-p:RedisClientVersion=...</c>, as the Redis passes on other clients do) and sees NU1603 come back.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class RestoreWarningsTests
{
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(5);

    [Test, Order(1)]
    public async Task Control_LegacyAppRestoreWithoutThePins_WarnsNU1603()
    {
        var (exitCode, output) = await RestoreAsync("-p:RedisClientVersion=2.1.30");

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(NuGetWarnings(output), Has.Some.Contains("NU1603"), "the check below would see a restore warning");
    }

    [Test, Order(2)]
    public async Task LegacyApp_ForcedRestore_PrintsNoNuGetWarning()
    {
        var (exitCode, output) = await RestoreAsync();

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(NuGetWarnings(output), Is.Empty);
    }

    private static Task<(int ExitCode, string Output)> RestoreAsync(params string[] properties) =>
        Shell.RunAsync("dotnet", new[] { "restore", Path.Combine("samples", "LegacyApp"), "--force", "-nologo" }.Concat(properties), Documents.RepositoryRoot, RestoreTimeout);

    private static string[] NuGetWarnings(string output) =>
        NuGetCode().Matches(output).Select(match => match.Value).Distinct().ToArray();

    [GeneratedRegex(@"(warning|error) NU1\d{3}: [^\[\n]*")]
    private static partial Regex NuGetCode();
}
