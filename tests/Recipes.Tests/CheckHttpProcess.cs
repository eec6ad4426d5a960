using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace Recipes.Tests;

/// <summary>The exit code and the standard output of one monitoring-plugin run.</summary>
internal sealed record PluginResult(int ExitCode, string Output);

/// <summary>Runs a monitoring plugin (check_http) to completion, as Icinga would, with a deadline.</summary>
internal static class CheckHttpProcess
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static async Task<PluginResult> RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        // The C locale, as Icinga runs plugins: perfdata decimals with a dot.
        var command = new ProgramCommand(fileName, arguments) { Environment = { ["LC_ALL"] = "C" } };
        await using var process = ProgramProcess.Start(command);
        await process.WaitForExitAsync(Deadline);
        return new PluginResult(process.ExitCode, process.StandardOutput.Trim() + process.StandardError.Trim());
    }
}
