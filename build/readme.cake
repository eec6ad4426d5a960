// Documentation that cannot drift: tests/Readme.Tests extracts every ```csharp block of README.md, CONTRIBUTING.md
// and docs/**/*.md (one file per block, with a #line directive back to the document) and compiles it against the
// PACKED packages in artifacts/packages; blocks fenced ```csharp net472 (the Katana quick start) are compiled in a
// fresh net472 project at C# 7.3 and run under mono, built by Katana's Microsoft.Owin (with the test package `Owin`
// from artifacts/test-packages) and with docs/dotnet-framework.md's <system.diagnostics> block as its app.config. Its
// tests also run the plugin-list block as printed, compare the option, configuration-key and probe-flag tables with
// the code, resolve every link, run the README's runnable shell blocks, and check the version words. Part of Test.
//   ./build.sh --target=ReadmeTest

const string ReadmeTestProject = "tests/Readme.Tests";
// Test adds the counts of every artifacts/*-test-results folder to its totals line.
const string ReadmeResultsDirectory = "./artifacts/readme-test-results";

Task("ReadmeTest")
    .Description("Compiles every csharp block of README.md against artifacts/packages and runs the README tests.")
    .IsDependentOn("Pack")
    .IsDependentOn("PackTestFixtures")     // the Katana quick start is built by Microsoft.Owin, which needs `Owin` (build/katana.cake)
    .IsDependentOn("EnsureServerBinaries") // the Katana quick start and the plugin-list block run against a real PostgreSQL
    .IsDependentOn("EnsureMono")           // the Katana quick start runs under mono
    .Does(() =>
{
    var version = PackedVersion();

    // Every pack has the same version: drop the copies a previous run restored, so this one uses today's packages.
    var restored = MakeAbsolute(Directory($"./{ReadmeTestProject}/obj/packages")).FullPath;
    foreach (var stale in GetDirectories($"{restored}/healthendpoint.*"))
    {
        DeleteDirectory(stale, new DeleteDirectorySettings { Recursive = true, Force = true });
    }

    var results = MakeAbsolute(Directory(ReadmeResultsDirectory));
    EnsureDirectoryExists(results);
    CleanDirectory(results);
    DotNetTest(ReadmeTestProject, new DotNetTestSettings
    {
        Configuration = configuration,
        ResultsDirectory = results,
        Loggers = new[] { "trx", "console;verbosity=minimal" },
        MSBuildSettings = new DotNetMSBuildSettings().WithProperty("HealthEndpointVersion", version),
    });

    var totals = SumTrxCounters(results);
    Information("README and docs: {0} passed, {1} failed (every csharp block compiled against HealthEndpoint.* {2}).", totals.Passed, totals.Failed, version);
    if (totals.Files == 0 || totals.Failed > 0 || totals.Passed == 0)
    {
        throw new CakeException("The README tests did not pass (see above).");
    }
});
