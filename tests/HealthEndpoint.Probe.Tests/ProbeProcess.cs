using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Probe.Tests;

/// <summary>One run of the real tool: its exit code, everything it wrote, and how long the process took.</summary>
internal sealed record ProbeRun(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    /// <summary>The output's single line; fails the test unless there is exactly one line and no stderr.</summary>
    public string Line
    {
        get
        {
            var lines = StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines, Has.Length.EqualTo(1), "exactly one line of output, got:\n" + StandardOutput + StandardError);
            Assert.That(StandardError, Is.Empty, "nothing on stderr");
            return lines[0];
        }
    }

    public override string ToString() => $"exit {ExitCode}: {StandardOutput}{StandardError}";
}

/// <summary>Runs <c>healthendpoint-probe</c> from its build output as its own process (<c>dotnet healthendpoint-probe.dll …</c>).</summary>
internal static class ProbeProcess
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>Runs the tool with <paramref name="arguments"/> and waits for it to exit.</summary>
    public static Task<ProbeRun> RunAsync(params string[] arguments) => RunAsync((IReadOnlyList<string>)arguments);

    /// <summary>Runs the tool with <paramref name="arguments"/> and waits for it to exit.</summary>
    public static async Task<ProbeRun> RunAsync(IReadOnlyList<string> arguments)
    {
        var clock = Stopwatch.StartNew();
        await using var process = ProgramProcess.Start(new ProgramCommand("dotnet", [RepositoryPaths.ProbeDll, .. arguments]));
        await process.WaitForExitAsync(Limit);
        clock.Stop();
        return new ProbeRun(process.ExitCode, process.StandardOutput, process.StandardError, clock.Elapsed);
    }
}
