using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace Owin.HealthEndpoint.Testing;

/// <summary>Debian's <c>promtool</c> (package <c>prometheus</c>): <c>check metrics</c> on a page fed through stdin.</summary>
public static class Promtool
{
    /// <summary>The tool's path.</summary>
    public const string Path = "/usr/bin/promtool";

    /// <summary>Runs <c>promtool check metrics</c> on <paramref name="page"/>; returns its exit code and output.</summary>
    /// <exception cref="InvalidOperationException">promtool is not installed; the message has the install command.</exception>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string page)
    {
        if (!File.Exists(Path))
        {
            throw new InvalidOperationException($"{Path} is missing; install it with: {PrometheusServer.InstallCommand}");
        }

        var start = new ProcessStartInfo(Path, ["check", "metrics"])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(page);
        process.StandardInput.Close();
        using var deadline = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException("promtool check metrics did not finish within 30 s.");
        }

        return (process.ExitCode, await output + await errors);
    }
}
