// Katana's own pipeline code: tests/Katana.Tests runs the PACKED HealthEndpoint.Owin (artifacts/packages) through
// Microsoft.Owin 4.2.2 (AppBuilder, OwinMiddleware, Map/MapWhen, UseStageMarker) on both of our hosts. Microsoft.Owin
// depends on Katana's `Owin` 1.0, which the package source does not serve: PackTestFixtures packs the repository's
// stand-in, tests/Fixtures/Owin, into artifacts/test-packages, a folder of its own that nothing publishes (Pack packs
// only src/ into artifacts/packages). The README's Katana quick start under Mono (ReadmeTest) restores it too.
// Part of Test; alone:
//   ./build.sh --target=KatanaTest

const string KatanaTestProject = "tests/Katana.Tests";
const string OwinFixtureProject = "tests/Fixtures/Owin/Owin.csproj";
// Test adds the counts of every artifacts/*-test-results folder to its totals line.
const string KatanaResultsDirectory = "./artifacts/katana-test-results";
var testPackagesDirectory = artifactsDirectory + Directory("test-packages");

Task("PackTestFixtures")
    .Description("Packs the test-only `Owin` 1.0.0 package (tests/Fixtures/Owin) into artifacts/test-packages.")
    .IsDependentOn("Clean")
    .Does(() =>
{
    DotNetPack(OwinFixtureProject, new DotNetPackSettings
    {
        Configuration = configuration,
        OutputDirectory = testPackagesDirectory,
        MSBuildSettings = ContinuousIntegrationSettings(),
    });

    // Every pack has the same version: the test projects restore into private folders, emptied of it here.
    foreach (var stale in GetDirectories("./tests/*/obj/packages/owin"))
    {
        DeleteDirectory(stale, new DeleteDirectorySettings { Recursive = true, Force = true });
    }
});

Task("KatanaTest")
    .Description("Runs tests/Katana.Tests: the packed HealthEndpoint.Owin through Katana's Microsoft.Owin on both of our hosts.")
    .IsDependentOn("Pack")
    .IsDependentOn("PackTestFixtures")
    .IsDependentOn("EnsureServerBinaries") // the quick start's database check runs against a real PostgreSQL
    .Does(() =>
{
    var version = PackedVersion();

    // Every pack has the same version: drop the copies a previous run restored, so this one uses today's packages.
    foreach (var stale in GetDirectories($"./{KatanaTestProject}/obj/packages/healthendpoint.*"))
    {
        DeleteDirectory(stale, new DeleteDirectorySettings { Recursive = true, Force = true });
    }

    var results = MakeAbsolute(Directory(KatanaResultsDirectory));
    EnsureDirectoryExists(results);
    CleanDirectory(results);
    DotNetTest(KatanaTestProject, new DotNetTestSettings
    {
        Configuration = configuration,
        ResultsDirectory = results,
        Loggers = new[] { "trx", "console;verbosity=normal" },
        MSBuildSettings = new DotNetMSBuildSettings().WithProperty("HealthEndpointVersion", version),
    });

    var totals = SumTrxCounters(results);
    Information("Katana's pipeline code: {0} passed, {1} failed (HealthEndpoint.* {2} from artifacts/packages).", totals.Passed, totals.Failed, version);
    if (totals.Files == 0 || totals.Failed > 0 || totals.Passed == 0)
    {
        throw new CakeException("The Katana tests did not pass (see above).");
    }
});
