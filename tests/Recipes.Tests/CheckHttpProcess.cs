using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace Recipes.Tests;

/// <summary>The exit code and the standard output of one monitoring-plugin run.</summary>
internal sealed record PluginResult(int ExitCode, string Output);

/// <summary>Runs a monitoring plugin (check_http) to completion, as Icinga would, with a deadline.</summary>
internal static class CheckHttpProcess
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static async Task<PluginResult> RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The C locale, as Icinga runs plugins: perfdata decimals with a dot.
            Environment = { ["LC_ALL"] = "C" },
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        using var deadline = new CancellationTokenSource(Deadline);
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var errors = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"{fileName} did not finish within {Deadline.TotalSeconds} s.");
        }

        return new PluginResult(process.ExitCode, (await output).Trim() + (await errors).Trim());
    }
}
