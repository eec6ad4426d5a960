// Test: every test project of the solution, the Redis suite on the newer clients (build/redis.cake) and the .NET
// Framework pass (build/framework.cake, through FrameworkPass.Tests), after Build, PackageTest, ReadmeTest and
// KatanaTest (build/katana.cake); the last output line is "N passed, N failed", summed over every pass. A test
// project added to the .sln runs here without an edit.

using System.Diagnostics;

// Test passes at once. LegacyApp.Tests and Recipes.Tests take ~2.5 min each, much of it waiting on drains,
// restarts and timeouts, so two at once overlap them. Three at once finished in 6:33 but once delayed a status
// answer 0.6 s past its deadline bound on a 2-core machine (LegacyApp's frozen-PostgreSQL test), so two is the
// default. Each pass has its own processes, temp folders and free loopback ports. `--test-passes=1` runs them one
// after the other.
var testPassesAtOnce = Argument("test-passes", 2);

// Started first, because they take longest; only the order depends on this list.
var longTestProjects = new[] { "LegacyApp.Tests", "Recipes.Tests", "HealthEndpoint.Owin.Hosting.Tests" };

Task("Test")
    .Description("Runs every test assembly, the .NET Framework pass under Mono included; the last output line is 'N passed, N failed' (summed over the trx files and the Mono result file).")
    .IsDependentOn("EnsureServerBinaries")
    .IsDependentOn("EnsureRecipeBinaries")
    .IsDependentOn("EnsureMono")
    .IsDependentOn("Build")
    .IsDependentOn("PackageTest")
    .IsDependentOn("ReadmeTest")
    .IsDependentOn("KatanaTest")
    .Does(() =>
{
    EnsureDirectoryExists(testResultsDirectory);
    CleanDirectory(testResultsDirectory);
    CheckTempCheckControl();
    var cpuBefore = CpuTicks();

    var passes = SolutionTestProjects()
        .OrderBy(LongTestRank)
        .Select(project => new TestPass(project.GetFilenameWithoutExtension().ToString(), SolutionTestArguments(project)))
        .Concat(RedisClientSuitePasses())
        .ToList();
    var failedPasses = RunTestPasses(passes, testPassesAtOnce);

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

    // Which tests failed, and the start of why, and how busy the machine was, just above the totals.
    var failedTests = FailedTestLines(testResultsDirectory)
        .Concat(FailedFrameworkTestLines())
        .Concat(GetDirectories($"{artifactsDirectory.Path.FullPath}/*-test-results").SelectMany(FailedTestLines))
        .Select(line => "FAILED " + line);
    var tempLeft = TempFoldersLeft(runTemp, systemTemp, systemTempBefore);
    var tempLine = $"Temp folders left by Test: {tempLeft.Count}" + (tempLeft.Count == 0 ? "" : " (" + string.Join(", ", tempLeft) + ")");
    PrintOnExit(string.Join(Environment.NewLine, failedTests.Append(MachineLine("Test", cpuBefore)).Append(tempLine).Append($"{passed} passed, {failed} failed")));

    if (failedPasses.Count > 0 || failed > 0 || totals.Files == 0)
    {
        throw new CakeException(failedPasses.Count == 0
            ? $"{failed} test(s) failed; {totals.Files} trx file(s) read from the solution's tests."
            : $"dotnet test failed for: {string.Join(", ", failedPasses)}.");
    }

    if (tempLeft.Count > 0)
    {
        throw new CakeException(tempLine);
    }
});

// The position in longTestProjects, or after them all.
int LongTestRank(FilePath project)
{
    var rank = Array.IndexOf(longTestProjects, project.GetFilenameWithoutExtension().ToString());
    return rank >= 0 ? rank : longTestProjects.Length;
}

// One `dotnet test` process: a name for the log and its trx file, and its arguments after `dotnet`.
record TestPass(string Name, IReadOnlyList<string> Arguments);

// The test projects listed in the .sln (IsTestProject is true for every tests/ project that does not say false).
IEnumerable<FilePath> SolutionTestProjects()
{
    var solutionText = System.IO.File.ReadAllText(solution.Path.FullPath);
    return System.Text.RegularExpressions.Regex.Matches(solutionText, "\"(tests\\\\[^\"]+\\.csproj)\"")
        .Select(match => File("./" + match.Groups[1].Value.Replace('\\', '/')).Path)
        .Where(project => !System.IO.File.ReadAllText(project.FullPath).Contains("<IsTestProject>false</IsTestProject>", StringComparison.Ordinal));
}

// Build compiled them: no build, no restore; each writes <name>.trx.
IReadOnlyList<string> SolutionTestArguments(FilePath project) => new[]
{
    "test", project.FullPath, "--configuration", configuration, "--no-build", "--no-restore",
    "--results-directory", MakeAbsolute(testResultsDirectory).FullPath,
    "--logger", $"trx;LogFileName={project.GetFilenameWithoutExtension()}.trx", "--logger", "console;verbosity=minimal",
};

// Runs the passes, at most `atOnce` at a time, in the given order. Each pass's output is printed in one block when
// it ends, so that concurrent passes do not interleave. Returns the names of the passes that exited non-zero.
List<string> RunTestPasses(IReadOnlyList<TestPass> passes, int atOnce)
{
    var waiting = new Queue<TestPass>(passes);
    var running = new List<(TestPass Pass, Process Process, List<string> Output, Stopwatch Clock)>();
    var failedPasses = new List<string>();
    var clock = Stopwatch.StartNew();
    while (waiting.Count > 0 || running.Count > 0)
    {
        while (running.Count < Math.Max(1, atOnce) && waiting.Count > 0)
        {
            var pass = waiting.Dequeue();
            var output = new List<string>();
            running.Add((pass, StartTestPass(pass, output), output, Stopwatch.StartNew()));
            Information("[{0:mm\\:ss}] started {1} ({2} running, {3} waiting)", clock.Elapsed, pass.Name, running.Count, waiting.Count);
        }

        var finished = running.FindIndex(entry => entry.Process.HasExited);
        if (finished < 0)
        {
            System.Threading.Thread.Sleep(200);
            continue;
        }

        var (donePass, process, lines, passClock) = running[finished];
        running.RemoveAt(finished);
        process.WaitForExit(); // flushes the redirected output
        Console.WriteLine();
        lock (lines)
        {
            lines.ForEach(Console.WriteLine);
        }

        Information("[{0:mm\\:ss}] {1}: exit {2} after {3:m\\:ss}", clock.Elapsed, donePass.Name, process.ExitCode, passClock.Elapsed);
        if (process.ExitCode != 0)
        {
            failedPasses.Add(donePass.Name);
        }

        process.Dispose();
    }

    return failedPasses;
}

Process StartTestPass(TestPass pass, List<string> output)
{
    var startInfo = new ProcessStartInfo("dotnet")
    {
        UseShellExecute = false,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    foreach (var argument in pass.Arguments)
    {
        startInfo.ArgumentList.Add(argument);
    }

    foreach (var variable in FrameworkPassEnvironment())
    {
        startInfo.Environment[variable.Key] = variable.Value;
    }

    var process = new Process { StartInfo = startInfo };
    DataReceivedEventHandler collect = (_, line) =>
    {
        if (line.Data != null)
        {
            lock (output)
            {
                output.Add(line.Data);
            }
        }
    };
    process.OutputDataReceived += collect;
    process.ErrorDataReceived += collect;
    process.Start();
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}
