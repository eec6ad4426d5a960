// The benchmarks (./build.sh --target=Bench [--quick], not part of Test): the BenchmarkDotNet micro suite and, when its
// project exists, the load benchmark (wrk; pair 9 against ASP.NET Core Health Checks); both reports are joined under a header naming the machine, versions and commit in
// artifacts/bench/report.md.

using System.Globalization;

// Benchmarks always run in Release (BenchmarkDotNet refuses unoptimized code), whatever --configuration says.
const string MicroBenchProject = "benchmarks/HealthEndpoint.Owin.Benchmarks";
const string LoadBenchProject = "benchmarks/HealthEndpoint.Owin.LoadBench";
const string WrkName = "wrk";

// --quick: the load bench's Kestrel-host and peer pairs only (7, 9 and 10), two rounds of 3 s, and no micro suite: about
// seven minutes instead of about eighteen on the shared 2-core VM, for a first look; the figures of record come from a full run.
var benchQuick = HasArgument("quick");

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
    .WithCriteria(() => !benchQuick, "--quick skips the micro suite")
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

    Warning("wrk is missing.");
    AptInstallOrFail(WrkName, "The load benchmark");
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
        var quick = benchQuick ? " --pairs 7,9,10 --rounds 2 --duration 3 --warmup 1" : string.Empty;
        RunOrFail("dotnet", $"run -c Release --project {LoadBenchProject} -- --output {benchDirectory.Path}/load.md{quick}");
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
