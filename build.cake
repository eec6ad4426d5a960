// Build script for HealthEndpoint.Owin (Cake 7.0.0, run through ./build.sh or ./build.ps1).
//   ./build.sh                      same as --target=Test
//   ./build.sh --target=Pack        NuGet packages into artifacts/packages
//   ./build.sh --target=Bench       micro and load benchmarks into artifacts/bench/report.md (not part of Test)
//   ./build.sh --target=FrameworkTest  only the .NET Framework pass under Mono (build/framework.cake)
// Everything the build produces goes to artifacts/.

using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Xml.Linq;

#load "build/framework.cake"
#load "build/readme.cake"
#load "build/redis.cake"

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
var benchDirectory = artifactsDirectory + Directory("bench");

// Benchmarks always run in Release (BenchmarkDotNet refuses unoptimized code), whatever --configuration says.
const string MicroBenchProject = "benchmarks/HealthEndpoint.Owin.Benchmarks";
const string LoadBenchProject = "benchmarks/HealthEndpoint.Owin.LoadBench";
const string WrkName = "wrk";

// Packaging: the checked libraries, and the one whose DLLs PackageTest rebuilds elsewhere to prove determinism.
const string CoreLibraryProject = "src/HealthEndpoint.Owin/HealthEndpoint.Owin.csproj";
const string PackagingProps = "src/Directory.Build.props";

// The test fixtures (tests/HealthEndpoint.Testing) start real servers from these binaries.
const string PostgresBinGlob = "/usr/lib/postgresql/*/bin/initdb";
const string RedisServerName = "redis-server";
const string AptPackages = "postgresql redis-server";

// tests/Recipes.Tests runs the reverse proxies and the monitoring plugin of docs/recipes/ (binary → Debian package).
var recipeBinaries = new Dictionary<string, string>
{
    ["/usr/sbin/haproxy"] = "haproxy",
    ["/usr/bin/caddy"] = "caddy",
    ["/usr/sbin/nginx"] = "nginx",
    ["/usr/sbin/lighttpd"] = "lighttpd",
    ["/usr/lib/nagios/plugins/check_http"] = "monitoring-plugins-basic",
    // icinga2 daemon -C validates docs/recipes/icinga-probe.md's CheckCommand; the tests start no daemon.
    ["/usr/sbin/icinga2"] = "icinga2",
    // The metrics path's proof: a real Prometheus scrapes LegacyApp; promtool checks the page (starts no service here).
    ["/usr/bin/prometheus"] = "prometheus",
};

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
        MSBuildSettings = ContinuousIntegrationSettings(),
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

Task("EnsureRecipeBinaries")
    .Description("Installs haproxy, caddy, nginx, lighttpd, check_http and icinga2 via apt when missing (root only); starts no service.")
    .Does(() =>
{
    var missing = recipeBinaries.Where(binary => !FileExists(binary.Key)).ToList();
    if (missing.Count == 0)
    {
        Information("Recipe binaries found: {0}.", string.Join(", ", recipeBinaries.Keys));
        return;
    }

    var packages = string.Join(" ", missing.Select(binary => binary.Value).Distinct());
    Warning("Missing recipe binaries: {0}.", string.Join(", ", missing.Select(binary => binary.Key)));
    if (!IsRunningOnLinux() || !Environment.IsPrivilegedProcess || !FileExists("/usr/bin/apt-get"))
    {
        throw new CakeException(
            $"The recipe checks need {packages}. Install them with: sudo apt-get install -y --no-install-recommends {packages}");
    }

    // Debian's maintainer scripts start what they install (nginx and lighttpd on port 80, the icinga2 daemon) unless
    // policy-rc.d says no (exit 101). Put one in place for the install when there is none, and only then remove it.
    var wasListeningOn80 = IsListening(80);
    const string policyPath = "/usr/sbin/policy-rc.d";
    var ownPolicy = !System.IO.File.Exists(policyPath);
    if (ownPolicy)
    {
        System.IO.File.WriteAllText(policyPath, "#!/bin/sh\n# Written by build.cake (EnsureRecipeBinaries) for one apt-get install.\nexit 101\n");
        System.IO.File.SetUnixFileMode(policyPath, (UnixFileMode)Convert.ToInt32("755", 8));
    }

    try
    {
        RunOrFail("apt-get", "update");
        RunOrFail("apt-get", $"-o DPkg::Lock::Timeout=300 install -y --no-install-recommends {packages}");
    }
    finally
    {
        if (ownPolicy)
        {
            System.IO.File.Delete(policyPath);
        }
    }

    var stillMissing = recipeBinaries.Keys.Where(path => !FileExists(path)).ToList();
    if (stillMissing.Count > 0)
    {
        throw new CakeException($"Still missing after apt-get: {string.Join(", ", stillMissing)}.");
    }

    if (!wasListeningOn80 && IsListening(80))
    {
        throw new CakeException("Something listens on port 80 since the install; a package started its service. Stop it by its PID.");
    }
});

Task("Test")
    .Description("Runs every test assembly, the .NET Framework pass under Mono included; the last output line is 'N passed, N failed' (summed over the trx files and the Mono result file).")
    .IsDependentOn("EnsureServerBinaries")
    .IsDependentOn("EnsureRecipeBinaries")
    .IsDependentOn("EnsureMono")
    .IsDependentOn("Build")
    .IsDependentOn("PackageTest")
    .IsDependentOn("ReadmeTest")
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
            EnvironmentVariables = FrameworkPassEnvironment(),
        });
    }
    catch (Exception exception)
    {
        testFailure = exception;
    }

    // The Redis suite again on the newer clients apps use (build/redis.cake), whatever the solution pass did.
    var redisFailure = RunRedisClientSuites(configuration, testResultsDirectory);
    testFailure ??= redisFailure;

    // The solution's tests and the .NET Framework pass under Mono (its result file sits beside the trx files,
    // build/framework.cake), plus the passes that Test's dependencies ran apart (artifacts/<name>-test-results).
    var totals = AddFrameworkResults(SumTrxCounters(testResultsDirectory));
    Information("Read {0} result file(s) from {1}.", totals.Files, testResultsDirectory);
    var passed = totals.Passed;
    var failed = totals.Failed;
    foreach (var separatePass in GetDirectories($"{artifactsDirectory.Path.FullPath}/*-test-results"))
    {
        var pass = SumTrxCounters(separatePass);
        Information("Read {0} trx file(s) from {1}: {2} passed, {3} failed.", pass.Files, separatePass, pass.Passed, pass.Failed);
        passed += pass.Passed;
        failed += pass.Failed;
    }

    PrintOnExit($"{passed} passed, {failed} failed");

    if (testFailure != null || failed > 0 || totals.Files == 0)
    {
        throw new CakeException(testFailure == null
            ? $"{failed} test(s) failed; {totals.Files} trx file(s) read from the solution's tests."
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
        DotNetPack(project.FullPath, PackSettings(packagesDirectory, noBuild: true));
    }
});

Task("PackageTest")
    .Description("Checks every package's metadata and contents, proves the core DLLs deterministic, installs the probe tool, and runs the packed HealthEndpoint.Owin in a fresh consumer project.")
    .IsDependentOn("EnsureServerBinaries") // the Redis consumers run a real redis-server
    .IsDependentOn("Pack")
    .Does(() =>
{
    CheckPackageContents();
    CheckDeterministicPack();
    CheckProbeToolInstalls();
    CheckProbeToolSelfContained();

    // Outside the repository, so that none of its Directory.Build.props or central versions apply.
    var consumer = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "healthendpoint-consumer-" + Guid.NewGuid().ToString("N"));
    CopyDirectory("./tests/PackageConsumer", consumer);
    var packages = MakeAbsolute(packagesDirectory).FullPath;
    System.IO.File.WriteAllText(System.IO.Path.Combine(consumer, "nuget.config"), $@"<?xml version=""1.0"" encoding=""utf-8""?>
<configuration>
  <packageSources>
    <clear />
    <add key=""local"" value=""{packages}"" />
    <add key=""nuget.org"" value=""https://api.nuget.org/v3/index.json"" />
  </packageSources>
  <config><add key=""globalPackagesFolder"" value=""{consumer}/packages"" /></config>
</configuration>");
    try
    {
        var version = GetFiles($"{packages}/HealthEndpoint.Owin.*.nupkg")
            .Select(file => file.GetFilenameWithoutExtension().ToString().Substring("HealthEndpoint.Owin.".Length))
            .Single(name => char.IsDigit(name[0]));
        var exitCode = StartProcess("dotnet", new ProcessSettings
        {
            Arguments = $"run --project {consumer} -p:HealthEndpointVersion={version}",
            RedirectStandardOutput = true,
        }, out var redirected);
        var lines = redirected.ToList();
        Information(string.Join("\n", lines));
        var expected = new[]
        {
            "/healthz/ping 200 [pong]",
            "/healthz/status 200 [{\"checks\":{\"database\":\"ok\",\"redis\":\"skipped\"},\"status\":\"ok\"}]",
            "/ 200 []",
            "app calls: 1",
        };
        if (exitCode != 0 || !expected.All(line => lines.Contains(line)))
        {
            throw new CakeException($"The packed library did not behave in a fresh project (exit {exitCode}).");
        }

        CheckRedisConsumers(version);
    }
    finally
    {
        DeleteDirectory(consumer, new DeleteDirectorySettings { Recursive = true, Force = true });
    }
});

// Installs healthendpoint-probe from artifacts/packages alone (as `dotnet tool install --tool-path` would in a
// Dockerfile) and runs it: --version exits 0, and a probe of a closed loopback port fails with exit 1.
void CheckProbeToolInstalls()
{
    var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "healthendpoint-probe-tool-" + Guid.NewGuid().ToString("N"));
    System.IO.Directory.CreateDirectory(folder);
    var config = System.IO.Path.Combine(folder, "nuget.config");
    System.IO.File.WriteAllText(config, $@"<?xml version=""1.0"" encoding=""utf-8""?>
<configuration>
  <packageSources><clear /><add key=""local"" value=""{MakeAbsolute(packagesDirectory).FullPath}"" /></packageSources>
  <config><add key=""globalPackagesFolder"" value=""{folder}/packages"" /></config>
</configuration>");
    try
    {
        var toolPath = System.IO.Path.Combine(folder, "bin");
        RunOrFail("dotnet", $"tool install HealthEndpoint.Probe --tool-path {toolPath} --configfile {config}");
        var probe = System.IO.Path.Combine(toolPath, "healthendpoint-probe");
        var version = StartProcess(probe, new ProcessSettings { Arguments = "--version", RedirectStandardOutput = true }, out var versionLines);
        var closed = StartProcess(probe, new ProcessSettings { Arguments = "http://127.0.0.1:1/healthz/ping --timeout 2s", RedirectStandardOutput = true }, out var closedLines);
        var closedLine = closedLines.SingleOrDefault() ?? string.Empty;
        Information("healthendpoint-probe --version: exit {0}; closed port: exit {1}, '{2}'", version, closed, closedLine);
        if (version != 0 || closed != 1 || !closedLine.StartsWith("FAIL ", StringComparison.Ordinal))
        {
            throw new CakeException("The installed healthendpoint-probe tool did not behave (see the lines above).");
        }
    }
    finally
    {
        DeleteDirectory(folder, new DeleteDirectorySettings { Recursive = true, Force = true });
    }
}

// Publishes healthendpoint-probe as a self-contained app for this machine's runtime identifier (no .NET needed
// in the image) and runs it against a closed loopback port: one FAIL line, exit 1.
void CheckProbeToolSelfContained()
{
    var output = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "healthendpoint-probe-sc-" + Guid.NewGuid().ToString("N"));
    try
    {
        var runtime = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        RunOrFail("dotnet", $"publish ./src/HealthEndpoint.Probe -c {configuration} -r {runtime} --self-contained -o {output}");
        var exitCode = StartProcess(System.IO.Path.Combine(output, "healthendpoint-probe"), new ProcessSettings
        {
            Arguments = "http://127.0.0.1:1/healthz/ping --timeout 2s",
            RedirectStandardOutput = true,
            EnvironmentVariables = new Dictionary<string, string> { ["DOTNET_ROOT"] = "/nonexistent" },
        }, out var lines);
        var line = lines.SingleOrDefault() ?? string.Empty;
        Information("self-contained healthendpoint-probe ({0}): exit {1}, '{2}'", runtime, exitCode, line);
        if (exitCode != 1 || !line.StartsWith("FAIL ", StringComparison.Ordinal))
        {
            throw new CakeException("The self-contained healthendpoint-probe did not behave (see the line above).");
        }
    }
    finally
    {
        if (System.IO.Directory.Exists(output))
        {
            DeleteDirectory(output, new DeleteDirectorySettings { Recursive = true, Force = true });
        }
    }
}

///////////////////////////////////////////////////////////////////////////////
// BENCHMARKS (./build.sh --target=Bench)
///////////////////////////////////////////////////////////////////////////////

// Set by BenchLoad when the load run fails, so that Bench still writes the report (with the micro part) first.
Exception loadBenchFailure = null;

// Builds only what it runs, in Release, so that a broken project elsewhere in the solution cannot stop the
// benchmarks; the load project is built by its own 'dotnet run'. Only artifacts/bench is cleared.
Task("BenchBuild")
    .Description("Clears artifacts/bench and builds the micro benchmark project in Release.")
    .Does(() =>
{
    EnsureDirectoryExists(benchDirectory);
    CleanDirectory(benchDirectory);
    DotNetBuild(MicroBenchProject, new DotNetBuildSettings { Configuration = "Release" });
});

Task("BenchMicro")
    .Description("Runs the BenchmarkDotNet micro suite; writes artifacts/bench/micro.md.")
    .IsDependentOn("BenchBuild")
    .Does(() =>
{
    RunOrFail("dotnet", $"run -c Release --no-build --project {MicroBenchProject} -- --filter \"*\"");
});

Task("EnsureWrk")
    .Description("Installs wrk via apt when missing (root only); needed by the load benchmark.")
    .WithCriteria(LoadBenchExists, $"{LoadBenchProject} does not exist")
    .Does(() =>
{
    if (FindOnPath(WrkName) is string wrk)
    {
        Information("wrk found: {0}.", wrk);
        return;
    }

    var installCommand = $"apt-get install -y --no-install-recommends {WrkName}";
    Warning("wrk is missing.");
    if (!IsRunningOnLinux() || !Environment.IsPrivilegedProcess || !FileExists("/usr/bin/apt-get"))
    {
        throw new CakeException(
            $"The load benchmark needs wrk. Install it with: sudo apt-get update && sudo {installCommand}");
    }

    RunOrFail("apt-get", "update");
    RunOrFail("apt-get", $"install -y --no-install-recommends {WrkName}");
    if (FindOnPath(WrkName) == null)
    {
        throw new CakeException("wrk is still missing after apt-get.");
    }
});

Task("BenchLoad")
    .Description("Runs the wrk load benchmark, when its project exists; writes artifacts/bench/load.md.")
    .IsDependentOn("BenchMicro")
    .IsDependentOn("EnsureServerBinaries") // status scenarios run live PostgreSQL and Redis
    .IsDependentOn("EnsureWrk")
    .Does(() =>
{
    if (!LoadBenchExists())
    {
        Warning("Skipping the load benchmark: {0} does not exist yet. The report will hold the micro benchmarks only.",
            LoadBenchProject);
        return;
    }

    try
    {
        RunOrFail("dotnet", $"run -c Release --project {LoadBenchProject} -- --output {benchDirectory.Path}/load.md");
    }
    catch (Exception exception)
    {
        loadBenchFailure = exception;
        Error("The load benchmark failed: {0}", exception.Message);
    }
});

Task("Bench")
    .Description("Micro and load benchmarks; prints and writes artifacts/bench/report.md (machine, versions, date, commit).")
    .IsDependentOn("BenchLoad")
    .Does(() =>
{
    var micro = benchDirectory + File("micro.md");
    var load = benchDirectory + File("load.md");
    var report = benchDirectory + File("report.md");

    var text = new System.Text.StringBuilder(BenchHeader());
    text.AppendLine();
    text.AppendLine(FileExists(micro) ? System.IO.File.ReadAllText(micro.Path.FullPath).TrimEnd() : "Micro benchmarks: no micro.md was written.");
    text.AppendLine();
    if (FileExists(load))
    {
        text.AppendLine(System.IO.File.ReadAllText(load.Path.FullPath).TrimEnd());
    }
    else
    {
        text.AppendLine(loadBenchFailure != null ? $"Load benchmark: failed ({loadBenchFailure.Message}); no load.md."
            : LoadBenchExists() ? $"Load benchmark: {LoadBenchProject} ran but wrote no load.md."
            : $"Load benchmark: not run ({LoadBenchProject} does not exist yet).");
    }

    System.IO.File.WriteAllText(report.Path.FullPath, text.ToString());
    Information("Wrote {0}:", report.Path);
    Console.WriteLine();
    Console.WriteLine(text.ToString());

    if (loadBenchFailure != null)
    {
        throw new CakeException($"The load benchmark failed: {loadBenchFailure.Message}");
    }
});

///////////////////////////////////////////////////////////////////////////////
// HELPERS
///////////////////////////////////////////////////////////////////////////////

// ContinuousIntegrationBuild maps source paths to /_/ in the DLLs and PDBs, so that one commit builds to the same
// bytes in any folder. It is set here rather than in the props: in a local IDE build it would hide the real paths.
DotNetMSBuildSettings ContinuousIntegrationSettings() =>
    new DotNetMSBuildSettings().WithProperty("ContinuousIntegrationBuild", "true");

DotNetPackSettings PackSettings(DirectoryPath output, bool noBuild) => new DotNetPackSettings
{
    Configuration = configuration,
    NoBuild = noBuild,
    NoRestore = noBuild,
    OutputDirectory = output,
    MSBuildSettings = ContinuousIntegrationSettings(),
};

// Every library package ships like a .NET library: README, license expression, repository metadata of this
// commit, XML docs beside every DLL, and a symbol package with a PDB for each. All problems are reported at once.
void CheckPackageContents()
{
    var props = XDocument.Load(PackagingProps).Descendants();
    var versionPrefix = props.First(element => element.Name.LocalName == "VersionPrefix").Value;
    var placeholderUrl = props.First(element => element.Name.LocalName == "PlaceholderRepositoryUrl").Value;
    var commit = OutputOf("git", "rev-parse HEAD").FirstOrDefault() ?? "(no git)";
    var expectedIds = GetFiles("./src/**/*.csproj").Select(project => project.GetFilenameWithoutExtension().ToString()).ToList();
    var problems = new List<string>();
    var placeholders = 0;

    foreach (var id in expectedIds)
    {
        var package = GetFiles($"{packagesDirectory.Path.FullPath}/{id}.{versionPrefix}*.nupkg").SingleOrDefault();
        if (package == null)
        {
            problems.Add($"{id}: no {id}.{versionPrefix}*.nupkg in {packagesDirectory.Path}");
            continue;
        }

        var problemsBefore = problems.Count;
        using var zip = ZipFile.OpenRead(package.FullPath);
        var entries = zip.Entries.Select(entry => entry.FullName).ToList();
        var nuspecEntry = zip.Entries.Single(entry => entry.FullName == $"{id}.nuspec");
        XElement metadata;
        using (var stream = nuspecEntry.Open())
        {
            metadata = XDocument.Load(stream).Root.Elements().Single(element => element.Name.LocalName == "metadata");
        }

        string Field(string name) => metadata.Elements().FirstOrDefault(element => element.Name.LocalName == name)?.Value;
        var license = metadata.Elements().FirstOrDefault(element => element.Name.LocalName == "license");
        var repository = metadata.Elements().FirstOrDefault(element => element.Name.LocalName == "repository");
        void Require(bool condition, string problem)
        {
            if (!condition)
            {
                problems.Add($"{package.GetFilename()}: {problem}");
            }
        }

        Require(entries.Contains("README.md") && Field("readme") == "README.md", "README.md missing or not the package readme");
        Require(license?.Attribute("type")?.Value == "expression" && license.Value == "MIT", "no <license type=\"expression\">MIT</license>");
        Require(Field("version")?.StartsWith(versionPrefix, StringComparison.Ordinal) == true, $"version is not {versionPrefix}[-suffix]");
        Require(!string.IsNullOrEmpty(Field("description")) && !string.IsNullOrEmpty(Field("tags")), "description or tags missing");
        Require(!string.IsNullOrEmpty(Field("projectUrl")), "projectUrl missing");
        Require(repository?.Attribute("type")?.Value == "git" && !string.IsNullOrEmpty(repository.Attribute("url")?.Value),
            "no <repository type=\"git\" url=...>");
        Require(repository?.Attribute("commit")?.Value == commit, $"repository commit is not HEAD ({commit})");

        // A library carries lib/<tfm>/*.dll with XML docs and PDBs; a .NET tool (healthendpoint-probe) carries
        // tools/<tfm>/any/ with the tool's settings instead.
        var dlls = entries.Where(name => name.StartsWith("lib/", StringComparison.Ordinal) && name.EndsWith(".dll", StringComparison.Ordinal)).ToList();
        var isTool = entries.Any(name => name.StartsWith("tools/", StringComparison.Ordinal) && name.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        Require(dlls.Any() || (isTool && entries.Any(name => name.StartsWith("tools/", StringComparison.Ordinal) && name.EndsWith(".dll", StringComparison.Ordinal))),
            "no lib/*/*.dll, and not a .NET tool package");
        foreach (var dll in dlls)
        {
            Require(entries.Contains(System.IO.Path.ChangeExtension(dll, ".xml")), $"{dll} has no XML documentation beside it");
        }

        var symbols = package.ChangeExtension(".snupkg");
        if (!FileExists(symbols))
        {
            Require(false, $"no symbol package {symbols.GetFilename()}");
        }
        else
        {
            using var symbolZip = ZipFile.OpenRead(symbols.FullPath);
            var pdbs = symbolZip.Entries.Select(entry => entry.FullName).ToList();
            foreach (var dll in dlls)
            {
                Require(pdbs.Contains(System.IO.Path.ChangeExtension(dll, ".pdb")), $"{dll} has no PDB in the .snupkg");
            }
        }

        placeholders += repository?.Attribute("url")?.Value == placeholderUrl ? 1 : 0;
        if (problems.Count == problemsBefore)
        {
            Information("{0}: {1} DLL(s) with XML docs and PDBs; license MIT; repository {2} @ {3}.",
                package.GetFilename(), dlls.Count, repository?.Attribute("url")?.Value, repository?.Attribute("commit")?.Value);
        }
    }

    if (placeholders > 0)
    {
        Warning("{0} package(s) carry the placeholder repository URL {1}: there is no git 'origin'. Set RepositoryUrl in {2} before publishing.",
            placeholders, placeholderUrl, PackagingProps);
    }

    if (problems.Count > 0)
    {
        throw new CakeException("Package check failed:\n  " + string.Join("\n  ", problems));
    }
}

// Two packs of one commit must hold byte-identical DLLs. The core library is packed again from a fresh clone of
// HEAD in another folder (different paths, clean obj/) and its DLLs are compared with artifacts/packages. When the
// library's sources have uncommitted changes, artifacts/ is not a pack of HEAD, so two clones are compared instead.
void CheckDeterministicPack()
{
    var dirty = OutputOf("git", "status --porcelain -- src Directory.Build.props Directory.Packages.props").Any();
    var clones = new List<string>();
    try
    {
        var first = PackCoreFromFreshClone(clones);
        var reference = dirty ? PackCoreFromFreshClone(clones) : MakeAbsolute(packagesDirectory).FullPath;
        var packageName = System.IO.Path.GetFileName(System.IO.Directory.GetFiles(first, "HealthEndpoint.Owin.*.nupkg").Single());
        var hashes = DllHashes(System.IO.Path.Combine(first, packageName));
        var referenceHashes = DllHashes(System.IO.Path.Combine(reference, packageName));
        if (hashes.Count == 0)
        {
            throw new CakeException($"No DLL to compare in {packageName}.");
        }

        foreach (var pair in hashes)
        {
            referenceHashes.TryGetValue(pair.Key, out var other);
            Information("{0} {1}: sha256 {2} / {3}", packageName, pair.Key, pair.Value, other ?? "(missing)");
            if (pair.Value != other)
            {
                throw new CakeException($"Not deterministic: {pair.Key} in {packageName} differs between {first} and {reference}.");
            }
        }

        Information("Deterministic: {0} DLL(s) byte-identical ({1}).", hashes.Count,
            dirty ? "two fresh clones of HEAD; the library sources have uncommitted changes" : "artifacts/packages and a fresh clone of HEAD");
    }
    finally
    {
        foreach (var clone in clones)
        {
            DeleteDirectory(clone, new DeleteDirectorySettings { Recursive = true, Force = true });
        }
    }
}

// Clones HEAD into a new temp folder (sharing this repository's objects, read-only), gives the clone this
// repository's origin (or none, like here), packs the core library there and returns the clone's package folder.
string PackCoreFromFreshClone(List<string> clones)
{
    var clone = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "healthendpoint-determinism-" + Guid.NewGuid().ToString("N"));
    clones.Add(clone);
    var origin = OutputOf("git", "config --get remote.origin.url").FirstOrDefault();
    RunOrFail("git", $"clone --quiet --shared --no-checkout . {clone}");
    RunOrFail("git", $"-C {clone} checkout --quiet --detach {OutputOf("git", "rev-parse HEAD").Single()}");
    RunOrFail("git", $"-C {clone} remote remove origin");
    if (!string.IsNullOrEmpty(origin))
    {
        RunOrFail("git", $"-C {clone} remote add origin {origin}");
    }

    var output = System.IO.Path.Combine(clone, "artifacts", "packages");
    DotNetPack(System.IO.Path.Combine(clone, CoreLibraryProject), PackSettings(output, noBuild: false));
    return output;
}

Dictionary<string, string> DllHashes(string package)
{
    using var zip = ZipFile.OpenRead(package);
    using var sha = SHA256.Create();
    return zip.Entries
        .Where(entry => entry.FullName.EndsWith(".dll", StringComparison.Ordinal))
        .ToDictionary(entry => entry.FullName, entry =>
        {
            using var stream = entry.Open();
            return Convert.ToHexString(sha.ComputeHash(stream)).ToLowerInvariant();
        });
}

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

string FindRedisServer() => FindOnPath(RedisServerName);

string FindOnPath(string fileName)
{
    var searchPath = (EnvironmentVariable("PATH") ?? string.Empty)
        .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Concat(new[] { "/usr/bin", "/usr/local/bin", "/usr/sbin" });
    return searchPath
        .Select(directory => System.IO.Path.Combine(directory, fileName))
        .FirstOrDefault(System.IO.File.Exists);
}

// Whether anything accepts TCP connections on 127.0.0.1:port (a service bound to any address does).
bool IsListening(int port)
{
    using var client = new System.Net.Sockets.TcpClient();
    try
    {
        return client.ConnectAsync("127.0.0.1", port).Wait(TimeSpan.FromSeconds(2)) && client.Connected;
    }
    catch (AggregateException)
    {
        return false;
    }
}

bool LoadBenchExists() => GetFiles($"./{LoadBenchProject}/*.csproj").Any();

// The machine and versions the figures belong to; Bench puts this above micro.md and load.md.
string BenchHeader()
{
    var cpuModel = FileExists("/proc/cpuinfo")
        ? System.IO.File.ReadLines("/proc/cpuinfo")
            .Where(line => line.StartsWith("model name", StringComparison.Ordinal))
            .Select(line => line.Substring(line.IndexOf(':') + 1).Trim())
            .FirstOrDefault()
        : null;
    var os = FileExists("/etc/os-release")
        ? System.IO.File.ReadLines("/etc/os-release")
            .Where(line => line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            .Select(line => line.Substring("PRETTY_NAME=".Length).Trim('"'))
            .FirstOrDefault()
        : null;
    var runtimes = OutputOf("dotnet", "--list-runtimes")
        .Where(line => line.StartsWith("Microsoft.NETCore.App ", StringComparison.Ordinal))
        .Select(line => line.Split(' ')[1]);
    var commit = OutputOf("git", "rev-parse --short HEAD").FirstOrDefault() ?? "unknown";
    var dirty = OutputOf("git", "status --porcelain --untracked-files=no").Any() ? " (with uncommitted changes)" : string.Empty;

    var header = new System.Text.StringBuilder();
    header.AppendLine("## Benchmark report");
    header.AppendLine();
    header.AppendLine("Reproduce with `./build.sh --target=Bench`.");
    header.AppendLine();
    header.AppendLine("| | |");
    header.AppendLine("|---|---|");
    header.AppendLine($"| Machine | {OutputOf("nproc", string.Empty).FirstOrDefault() ?? "?"} logical CPUs, {cpuModel ?? "unknown CPU"} |");
    header.AppendLine($"| OS | {os ?? System.Runtime.InteropServices.RuntimeInformation.OSDescription}, kernel {OutputOf("uname", "-r").FirstOrDefault() ?? "?"} |");
    header.AppendLine($"| .NET | runtime {string.Join(", ", runtimes)} (SDK {OutputOf("dotnet", "--version").FirstOrDefault() ?? "?"}) |");
    header.AppendLine($"| Date | {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC |");
    header.AppendLine($"| Commit | {commit}{dirty} |");
    return header.ToString();
}

// A command's standard output lines, or none when it fails: the report header must not break the build.
IEnumerable<string> OutputOf(string fileName, string arguments)
{
    try
    {
        var exitCode = StartProcess(fileName, new ProcessSettings
        {
            Arguments = arguments,
            RedirectStandardOutput = true,
            Silent = true,
        }, out var lines);
        return exitCode == 0 ? lines.ToList() : new List<string>();
    }
    catch (Exception exception)
    {
        Warning("Could not run '{0} {1}': {2}", fileName, arguments, exception.Message);
        return new List<string>();
    }
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
