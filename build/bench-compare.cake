// BenchCompare (not part of Test or Bench): the hot paths of an earlier revision and of the working tree, measured
// side by side in one process by benchmarks/HealthEndpoint.Owin.Compare; writes artifacts/bench/compare.md.
//   ./build.sh --target=BenchCompare --before=<git revision>
// A refactoring that must not slow the middleware is checked this way: separate BenchmarkDotNet runs of two
// builds differ by more, from run to run, than the change being judged.

const string CompareProject = "benchmarks/HealthEndpoint.Owin.Compare";
const string CoreProject = "src/HealthEndpoint.Owin/HealthEndpoint.Owin.csproj";

Task("BenchCompare")
    .Description("Compares the ping, cached status and pass-through paths of --before=<revision> with the working tree; writes artifacts/bench/compare.md.")
    .Does(() =>
{
    var before = Argument<string>("before", null)
        ?? throw new CakeException("BenchCompare needs --before=<git revision>, e.g. --before=HEAD~1 or a commit hash.");
    var compareDirectory = artifactsDirectory + Directory("compare");
    EnsureDirectoryExists(compareDirectory);
    CleanDirectory(compareDirectory);
    EnsureDirectoryExists(benchDirectory);

    // The earlier revision's tree, as git stores it, then each core published with its dependencies for net8.0.
    // The tree goes outside the repository and is deleted after: a second copy of the benchmark projects under
    // artifacts/ would make BenchmarkDotNet's project search (the Bench target) find two of each.
    var beforeTree = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "healthendpoint-compare-" + Guid.NewGuid().ToString("N"));
    EnsureDirectoryExists(beforeTree);
    var beforeBuild = MakeAbsolute(compareDirectory + Directory("before")).FullPath;
    var afterBuild = MakeAbsolute(compareDirectory + Directory("after")).FullPath;
    try
    {
        RunOrFail("bash", $"-c \"git archive --format=tar '{before}' | tar -x -C '{beforeTree}'\"");
        RunOrFail("dotnet", $"publish {beforeTree}/{CoreProject} -c Release -f net8.0 -o {beforeBuild}");
    }
    finally
    {
        DeleteDirectory(beforeTree, new DeleteDirectorySettings { Recursive = true, Force = true });
    }

    RunOrFail("dotnet", $"publish {CoreProject} -c Release -f net8.0 -o {afterBuild}");

    var report = MakeAbsolute(benchDirectory + File("compare.md")).FullPath;
    RunOrFail("dotnet", $"run -c Release --project {CompareProject} -- {beforeBuild} {afterBuild} --output {report}");
    Information("Wrote {0} (before = {1}).", report, before);
});
