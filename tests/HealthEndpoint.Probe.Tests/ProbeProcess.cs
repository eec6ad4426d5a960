using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

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
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(RepositoryPaths.ProbeDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"healthendpoint-probe {string.Join(' ', arguments)} ran longer than {Limit.TotalSeconds} s");
        }

        clock.Stop();
        return new ProbeRun(process.ExitCode, await output, await error, clock.Elapsed);
    }
}
