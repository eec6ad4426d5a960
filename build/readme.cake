// README code that compiles: tests/Readme.Tests extracts every ```csharp block of README.md (one file per block,
// with a #line directive back to the README) and compiles it against the PACKED packages in artifacts/packages;
// its tests prove the extraction is byte-for-byte, run style 3 as printed (startupz, drain) and style 2 under a
// host of Katana's convention. Part of Test.
//   ./build.sh --target=ReadmeTest

const string ReadmeTestProject = "tests/Readme.Tests";
// Test adds the counts of every artifacts/*-test-results folder to its totals line.
const string ReadmeResultsDirectory = "./artifacts/readme-test-results";

Task("ReadmeTest")
    .Description("Compiles every csharp block of README.md against artifacts/packages and runs the README tests.")
    .IsDependentOn("Pack")
    .IsDependentOn("EnsureServerBinaries") // styles 2 and 3 run against a real PostgreSQL
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
    Information("README: {0} passed, {1} failed (every csharp block compiled against HealthEndpoint.* {2}).", totals.Passed, totals.Failed, version);
    if (totals.Files == 0 || totals.Failed > 0 || totals.Passed == 0)
    {
        throw new CakeException("The README tests did not pass (see above).");
    }
});
