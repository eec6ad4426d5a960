// The .NET Framework pass (docs/dotnet-framework.md).
// tests/HealthEndpoint.Owin.Framework.Tests (net472, the libraries' netstandard2.0 builds) runs under Mono 6.8 from
// Debian, driven by tests/FrameworkPass.Tests, which starts a real PostgreSQL and Redis with the test fixtures and
// runs nunit3-console.exe under mono. The Test target runs it with the rest of the solution; alone:
//   ./build.sh --target=FrameworkTest

const string MonoPath = "/usr/bin/mono";
const string MonoAptPackage = "mono-devel";
const string FrameworkPassProject = "./tests/FrameworkPass.Tests/FrameworkPass.Tests.csproj";
// Read by tests/FrameworkPass.Tests: where the Mono run's NUnit 3 result file goes.
const string FrameworkResultsVariable = "HEALTHENDPOINT_FRAMEWORK_RESULTS";
const string FrameworkResultsFileName = "framework-mono.xml";

Task("EnsureMono")
    .Description("Installs Mono (mono-devel) via apt when missing (root only); the .NET Framework pass runs on it.")
    .Does(() =>
{
    if (FileExists(MonoPath))
    {
        Information("Mono found: {0}.", MonoPath);
        return;
    }

    var installCommand = $"apt-get install -y --no-install-recommends {MonoAptPackage}";
    Warning("Mono is missing ({0}).", MonoPath);
    if (!IsRunningOnLinux() || !Environment.IsPrivilegedProcess || !FileExists("/usr/bin/apt-get"))
    {
        throw new CakeException(
            $"The .NET Framework pass runs on Mono. Install it with: sudo apt-get update && sudo {installCommand}");
    }

    RunOrFail("apt-get", "update");
    RunOrFail("apt-get", $"-o DPkg::Lock::Timeout=300 {installCommand.Substring("apt-get ".Length)}");
    if (!FileExists(MonoPath))
    {
        throw new CakeException($"Still missing after apt-get: {MonoPath}.");
    }
});

Task("FrameworkTest")
    .Description("Runs only the .NET Framework pass under Mono (with its real servers); last line 'N passed, N failed'.")
    .IsDependentOn("EnsureServerBinaries")
    .IsDependentOn("EnsureMono")
    .Does(() =>
{
    EnsureDirectoryExists(testResultsDirectory);
    CleanDirectory(testResultsDirectory);

    Exception testFailure = null;
    try
    {
        // Builds the driver and, through its project reference, the net472 test assembly; nothing else.
        DotNetTest(FrameworkPassProject, new DotNetTestSettings
        {
            Configuration = configuration,
            ResultsDirectory = testResultsDirectory,
            Loggers = new[] { "trx", "console;verbosity=normal" },
            EnvironmentVariables = FrameworkPassEnvironment(),
        });
    }
    catch (Exception exception)
    {
        testFailure = exception;
    }

    var totals = AddFrameworkResults(SumTrxCounters(testResultsDirectory));
    PrintOnExit($"{totals.Passed} passed, {totals.Failed} failed");
    if (testFailure != null || totals.Failed > 0 || totals.Files == 0)
    {
        throw new CakeException(testFailure == null
            ? $"{totals.Failed} test(s) failed."
            : $"dotnet test failed: {testFailure.Message}");
    }
});

// Tells tests/FrameworkPass.Tests to write the Mono run's results beside the trx files.
Dictionary<string, string> FrameworkPassEnvironment() => new Dictionary<string, string>
{
    [FrameworkResultsVariable] = MakeAbsolute(testResultsDirectory.Path.CombineWithFilePath(FrameworkResultsFileName)).FullPath,
};

// The Mono test cases run inside one trx test (FrameworkPass.Tests); each counts in the totals line, read from
// nunit3-console's result file. A missing file adds nothing: the trx test that should have written it has failed.
(int Passed, int Failed, int Files) AddFrameworkResults((int Passed, int Failed, int Files) totals)
{
    var file = testResultsDirectory.Path.CombineWithFilePath(FrameworkResultsFileName);
    if (!FileExists(file))
    {
        Information("No {0}: the .NET Framework pass did not write results.", file);
        return totals;
    }

    var run = XDocument.Load(file.FullPath).Root;
    int Count(string name) => (int?)run.Attribute(name) ?? 0;
    var passed = Count("passed");
    var failed = Count("failed") + Count("inconclusive");
    Information("The .NET Framework pass under Mono ({0}): {1} passed, {2} failed.", file, passed, failed);
    return (totals.Passed + passed, totals.Failed + failed, totals.Files + 1);
}

// The Mono test cases that did not pass, as "framework-mono: <name>: <message start>" lines for Test's FAILED list.
IEnumerable<string> FailedFrameworkTestLines()
{
    var file = testResultsDirectory.Path.CombineWithFilePath(FrameworkResultsFileName);
    if (!FileExists(file))
    {
        return Enumerable.Empty<string>();
    }

    return XDocument.Load(file.FullPath).Descendants("test-case")
        .Where(test => (string)test.Attribute("result") is not ("Passed" or "Skipped"))
        .Select(test => $"{file.GetFilenameWithoutExtension()}: {(string)test.Attribute("fullname")}: {MessageStart((string)test.Element("failure")?.Element("message"))}");
}
