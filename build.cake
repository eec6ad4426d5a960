// Build script for HealthEndpoint.Owin (Cake 7.0.0, run through ./build.sh or ./build.ps1).
//   ./build.sh                      same as --target=Test
//   ./build.sh --target=Pack        NuGet packages into artifacts/packages
// Everything the build produces goes to artifacts/.

using System.Xml.Linq;

///////////////////////////////////////////////////////////////////////////////
// ARGUMENTS
///////////////////////////////////////////////////////////////////////////////

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");

///////////////////////////////////////////////////////////////////////////////
// PATHS
///////////////////////////////////////////////////////////////////////////////

var solution = File("./HealthEndpoint.Owin.sln");
var artifactsDirectory = Directory("./artifacts");
var testResultsDirectory = artifactsDirectory + Directory("test-results");
var packagesDirectory = artifactsDirectory + Directory("packages");

// The test fixtures (tests/HealthEndpoint.Testing) start real servers from these binaries.
const string PostgresBinGlob = "/usr/lib/postgresql/*/bin/initdb";
const string RedisServerName = "redis-server";
const string AptPackages = "postgresql redis-server";

///////////////////////////////////////////////////////////////////////////////
// TASKS
///////////////////////////////////////////////////////////////////////////////

Task("Clean")
    .Description("Deletes artifacts/ and the bin/obj output of the selected configuration.")
    .Does(() =>
{
    CleanDirectory(artifactsDirectory);
    CleanDirectories($"./src/**/bin/{configuration}");
    CleanDirectories($"./src/**/obj/{configuration}");
    CleanDirectories($"./tests/**/bin/{configuration}");
    CleanDirectories($"./tests/**/obj/{configuration}");
});

Task("Restore")
    .Description("Restores the solution's packages.")
    .IsDependentOn("Clean")
    .Does(() =>
{
    DotNetRestore(solution.Path.FullPath);
});

Task("Build")
    .Description("Builds the solution.")
    .IsDependentOn("Restore")
    .Does(() =>
{
    DotNetBuild(solution.Path.FullPath, new DotNetBuildSettings
    {
        Configuration = configuration,
        NoRestore = true,
    });
});

Task("EnsureServerBinaries")
    .Description("Installs PostgreSQL and Redis server binaries via apt when missing (root only).")
    .Does(() =>
{
    var missing = FindMissingServerBinaries();
    if (missing.Count == 0)
    {
        Information("Server binaries found: {0}, {1}.", GetFiles(PostgresBinGlob).Last(), FindRedisServer());
        return;
    }

    var installCommand = $"apt-get install -y {AptPackages}";
    Warning("Missing server binaries: {0}.", string.Join(", ", missing));
    if (!IsRunningOnLinux() || !Environment.IsPrivilegedProcess || !FileExists("/usr/bin/apt-get"))
    {
        throw new CakeException(
            $"The integration tests need {string.Join(" and ", missing)}. Install them with: sudo {installCommand}");
    }

    // Debian's postinst may start a "main" cluster on 5432 and a redis on 6379. That does not matter:
    // the fixtures start their own servers in temp folders on free loopback ports.
    RunOrFail("apt-get", "update");
    RunOrFail("apt-get", $"install -y --no-install-recommends {AptPackages}");

    missing = FindMissingServerBinaries();
    if (missing.Count > 0)
    {
        throw new CakeException($"Still missing after apt-get: {string.Join(", ", missing)}.");
    }
});

Task("Test")
    .Description("Runs every test assembly; the last output line is 'N passed, N failed' (summed over the trx files).")
    .IsDependentOn("EnsureServerBinaries")
    .IsDependentOn("Build")
    .Does(() =>
{
    EnsureDirectoryExists(testResultsDirectory);
    CleanDirectory(testResultsDirectory);

    Exception testFailure = null;
    try
    {
        DotNetTest(solution.Path.FullPath, new DotNetTestSettings
        {
            Configuration = configuration,
            NoBuild = true,
            NoRestore = true,
            ResultsDirectory = testResultsDirectory,
            // Default trx names are unique per assembly; the console logger prints "Passed!  - Failed: 0, ..." per assembly.
            Loggers = new[] { "trx", "console;verbosity=minimal" },
        });
    }
    catch (Exception exception)
    {
        testFailure = exception;
    }

    var totals = SumTrxCounters(testResultsDirectory);
    Information("Read {0} trx file(s) from {1}.", totals.Files, testResultsDirectory);
    PrintOnExit($"{totals.Passed} passed, {totals.Failed} failed");

    if (testFailure != null || totals.Failed > 0 || totals.Files == 0)
    {
        throw new CakeException(testFailure == null
            ? $"{totals.Failed} test(s) failed; {totals.Files} trx file(s) read."
            : $"dotnet test failed: {testFailure.Message}");
    }
});

Task("Pack")
    .Description("Packs the src/ projects into artifacts/packages.")
    .IsDependentOn("Build")
    .Does(() =>
{
    foreach (var project in GetFiles("./src/**/*.csproj"))
    {
        DotNetPack(project.FullPath, new DotNetPackSettings
        {
            Configuration = configuration,
            NoBuild = true,
            NoRestore = true,
            OutputDirectory = packagesDirectory,
        });
    }
});

///////////////////////////////////////////////////////////////////////////////
// HELPERS
///////////////////////////////////////////////////////////////////////////////

List<string> FindMissingServerBinaries()
{
    var missing = new List<string>();
    if (!GetFiles(PostgresBinGlob).Any())
    {
        missing.Add($"PostgreSQL initdb ({PostgresBinGlob})");
    }

    if (FindRedisServer() == null)
    {
        missing.Add(RedisServerName);
    }

    return missing;
}

string FindRedisServer()
{
    var searchPath = (EnvironmentVariable("PATH") ?? string.Empty)
        .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Concat(new[] { "/usr/bin", "/usr/local/bin", "/usr/sbin" });
    return searchPath
        .Select(directory => System.IO.Path.Combine(directory, RedisServerName))
        .FirstOrDefault(System.IO.File.Exists);
}

void RunOrFail(string fileName, string arguments)
{
    Information("> {0} {1}", fileName, arguments);
    var exitCode = StartProcess(fileName, new ProcessSettings
    {
        Arguments = arguments,
        EnvironmentVariables = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" },
    });
    if (exitCode != 0)
    {
        throw new CakeException($"'{fileName} {arguments}' exited with code {exitCode}.");
    }
}

// Cake prints its task report (and any error) after the last task; the totals line must close the output,
// plain, on its own line, so it is written when the process exits.
void PrintOnExit(string line)
{
    AppDomain.CurrentDomain.ProcessExit += (_, _) => Console.WriteLine(line);
}

(int Passed, int Failed, int Files) SumTrxCounters(DirectoryPath directory)
{
    int passed = 0, failed = 0, files = 0;
    XNamespace trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
    foreach (var file in GetFiles($"{directory.FullPath}/*.trx"))
    {
        var counters = XDocument.Load(file.FullPath).Descendants(trx + "Counters").FirstOrDefault();
        if (counters == null)
        {
            Warning("No <Counters> in {0}.", file);
            continue;
        }

        int Count(string name) => (int?)counters.Attribute(name) ?? 0;
        files++;
        passed += Count("passed");
        failed += Count("failed") + Count("error") + Count("timeout") + Count("aborted");
    }

    return (passed, failed, files);
}

///////////////////////////////////////////////////////////////////////////////
// EXECUTION
///////////////////////////////////////////////////////////////////////////////

RunTarget(target);
