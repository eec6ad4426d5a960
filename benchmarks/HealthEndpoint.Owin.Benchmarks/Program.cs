using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Running;

namespace HealthEndpoint.Owin.Benchmarks;

/// <summary>
/// Runs the micro suite and writes artifacts/bench/micro.md (targets and verdicts) beside BenchmarkDotNet's own
/// output in artifacts/bench/micro/.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/HealthEndpoint.Owin.Benchmarks -- --filter '*'</c>; any other
/// BenchmarkDotNet arguments pass through, and no arguments means <c>--filter *</c>. The exit code is non-zero
/// only when a benchmark failed to run: targets are reported, not asserted.
/// </remarks>
internal static class Program
{
    private const string SolutionFile = "HealthEndpoint.Owin.sln";

    public static int Main(string[] args)
    {
        var benchDirectory = Path.Combine(RepositoryRoot(), "artifacts", "bench");
        var config = MicroBenchmarkConfig.Create(Path.Combine(benchDirectory, "micro"));
        var loadBefore = LoadAverage();
        var summaries = BenchmarkSwitcher
            .FromAssembly(typeof(Program).Assembly)
            .Run(args.Length == 0 ? ["--filter", "*"] : args, config)
            .ToList();

        var summary = summaries.FirstOrDefault(
            candidate => candidate.BenchmarksCases.Any(benchmark => benchmark.Descriptor.Type == typeof(MiddlewareBenchmarks)));
        if (summary is null)
        {
            Console.Error.WriteLine("No MiddlewareBenchmarks ran (check --filter); micro.md was not written.");
            return 1;
        }

        var reportPath = Path.Combine(benchDirectory, "micro.md");
        File.WriteAllText(reportPath, MicroReport.Render(summary, $"{loadBefore} → {LoadAverage()}"));
        Console.WriteLine();
        Console.WriteLine(File.ReadAllText(reportPath));
        Console.WriteLine($"Wrote {reportPath}");

        var failed = summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)
            || summary.Reports.Length < summary.BenchmarksCases.Length;
        return failed ? 1 : 0;
    }

    // Other work on a shared 2-core machine moves nanosecond figures; the load average lets a reader judge a run.
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    // dotnet run keeps the caller's working directory; walk up from it (and then from the binary) to the
    // repository, so that the output lands in the same artifacts/ whichever directory it is started from.
    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
                {
                    return directory.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
