using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using HealthEndpoint.Owin.Compare;

// Compares two builds of HealthEndpoint.Owin on the micro benchmarks' three hot paths, in the same process:
//   HealthEndpoint.Owin.Compare <before folder> <after folder> [--processes 30] [--rounds 100] [--output compare.md]
// Each folder is a `dotnet publish` of src/HealthEndpoint.Owin for net8.0 (build/bench-compare.cake makes them).
// Separate BenchmarkDotNet runs of two builds differ here by ±30 ns from run to run on the same code; blocks of
// requests interleaved in one process, paired round by round, differ by ±10 ns, and what is left is a bias of the
// process (which build was loaded first, code layout), so several processes alternate the loading order.
if (args.Length > 0 && args[0] == "--child")
{
    RunChild(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
    return 0;
}

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: HealthEndpoint.Owin.Compare <before folder> <after folder> [--processes N] [--rounds N] [--output file.md]");
    return 2;
}

var processes = int.Parse(Option("--processes") ?? "30", CultureInfo.InvariantCulture);
var rounds = int.Parse(Option("--rounds") ?? "100", CultureInfo.InvariantCulture);
var output = Option("--output");
var perScenario = new Dictionary<string, List<(double Before, double After, double Delta)>>();
var allocated = new Dictionary<string, (double Before, double After)>();
for (var process = 0; process < processes; process++)
{
    var beforeFirst = process % 2 == 0;
    foreach (var line in RunChildProcess(beforeFirst ? args[0] : args[1], beforeFirst ? args[1] : args[0], rounds))
    {
        var fields = line.Split('\t');
        double Field(int index) => double.Parse(fields[index], CultureInfo.InvariantCulture);
        var (first, second, delta) = (Field(1), Field(2), Field(3));
        var figures = beforeFirst ? (first, second, delta) : (second, first, -delta);
        var bytes = beforeFirst ? (Field(4), Field(5)) : (Field(5), Field(4));
        allocated[fields[0]] = bytes;
        (perScenario.TryGetValue(fields[0], out var list) ? list : perScenario[fields[0]] = []).Add(figures);
    }
}

var report = new List<string>
{
    "### Two builds side by side (one process per row of figures, requests interleaved in blocks)",
    "",
    $"Before: `{args[0]}`; after: `{args[1]}`; {processes} processes, alternately loading before or after first. " +
    $"Each figure is a median over {rounds} paired rounds of 20,000 requests; after − before is the median of the " +
    "paired differences, one per process; the verdict figure is the median over the processes (a process's figure is off by " +
    "up to 50 ns now and then, on identical builds too).",
    "",
    "| Path | Before (ns) | After (ns) | After − before, per process (ns) | Median of after − before (ns) | Allocated before / after (B per request) |",
    "|---|---:|---:|---|---:|---:|",
};
foreach (var (scenario, figures) in perScenario)
{
    report.Add(string.Create(CultureInfo.InvariantCulture,
        $"| {scenario} | {Median(figures.Select(f => f.Before)):F1} | {Median(figures.Select(f => f.After)):F1} | " +
        $"{string.Join(", ", figures.Select(f => f.Delta.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture)))} | " +
        $"{Median(figures.Select(f => f.Delta)):+0.0;-0.0;0.0} | {allocated[scenario].Before:F0} / {allocated[scenario].After:F0} |"));
}

report.ForEach(Console.WriteLine);
if (output is not null)
{
    File.WriteAllLines(output, report);
}

return 0;

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

// One process: loads both builds (the first-named first) and prints, per path, "path\tfirst ns\tsecond ns\tsecond − first ns
// \tfirst bytes\tsecond bytes" (bytes allocated per request).
static List<string> RunChildProcess(string first, string second, int rounds)
{
    var self = Environment.ProcessPath!;
    var startInfo = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(self) == "dotnet")
    {
        startInfo.ArgumentList.Add(typeof(BuildUnderTest).Assembly.Location);
    }

    foreach (var argument in new[] { "--child", first, second, rounds.ToString(CultureInfo.InvariantCulture) })
    {
        startInfo.ArgumentList.Add(argument);
    }

    using var child = Process.Start(startInfo)!;
    var lines = child.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    child.WaitForExit();
    if (child.ExitCode != 0)
    {
        throw new InvalidOperationException($"The comparison process exited with {child.ExitCode}.");
    }

    return lines;
}

static void RunChild(string firstFolder, string secondFolder, int rounds)
{
    const int RequestsPerBlock = 20_000;
    var builds = new[] { BuildUnderTest.Load(firstFolder), BuildUnderTest.Load(secondFolder) };
    foreach (var path in new[] { "/Ticket/Display.html", BuildUnderTest.PingPath, BuildUnderTest.StatusPath })
    {
        var environments = new[] { OwinEnvironment.Create(path), OwinEnvironment.Create(path) };
        var nanoseconds = new[] { new List<double>(), new List<double>() };
        // Warm-up: tiered compilation promotes a method after 100 ms or more, longer than a few blocks of the
        // 20 ns pass-through take, so each path runs for a second before anything is measured.
        for (var warmUp = Stopwatch.StartNew(); warmUp.Elapsed < TimeSpan.FromSeconds(1);)
        {
            OwinEnvironment.TimeRequests(builds[0], environments[0], RequestsPerBlock);
            OwinEnvironment.TimeRequests(builds[1], environments[1], RequestsPerBlock);
        }

        for (var round = 0; round < rounds; round++)
        {
            foreach (var build in round % 2 == 0 ? new[] { 0, 1 } : [1, 0])
            {
                nanoseconds[build].Add(OwinEnvironment.TimeRequests(builds[build], environments[build], RequestsPerBlock));
            }
        }

        var differences = nanoseconds[1].Zip(nanoseconds[0], (second, first) => second - first);
        var bytes = builds.Select((build, index) => OwinEnvironment.AllocatedBytesPerRequest(build, environments[index], RequestsPerBlock)).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Name(path)}\t{Median(nanoseconds[0])}\t{Median(nanoseconds[1])}\t{Median(differences)}\t{bytes[0]}\t{bytes[1]}"));
    }
}

static string Name(string path) => path switch
{
    BuildUnderTest.PingPath => "ping GET",
    BuildUnderTest.StatusPath => "status GET, cached",
    _ => "pass-through",
};

static double Median(IEnumerable<double> values)
{
    var sorted = values.OrderBy(value => value).ToList();
    return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
}
