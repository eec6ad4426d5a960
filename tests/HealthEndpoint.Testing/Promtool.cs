using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Testing;

/// <summary>
/// Debian's <c>promtool</c> (package <c>prometheus</c>): <c>check metrics</c> on a page fed through stdin,
/// <c>check config</c> and <c>check rules</c> on files.
/// </summary>
public static class Promtool
{
    /// <summary>The tool's path.</summary>
    public const string Path = "/usr/bin/promtool";

    /// <summary>Runs <c>promtool check metrics</c> on <paramref name="page"/>; returns its exit code and output.</summary>
    /// <exception cref="InvalidOperationException">promtool is not installed; the message has the install command.</exception>
    public static Task<(int ExitCode, string Output)> CheckMetricsAsync(string page) => RunAsync(["check", "metrics"], page);

    /// <summary>Runs <c>promtool check config</c> on the file at <paramref name="configurationPath"/> (and the rule files it names).</summary>
    /// <exception cref="InvalidOperationException">promtool is not installed; the message has the install command.</exception>
    public static Task<(int ExitCode, string Output)> CheckConfigAsync(string configurationPath) => RunAsync(["check", "config", configurationPath], string.Empty);

    /// <summary>Runs <c>promtool check rules</c> on the file at <paramref name="rulesPath"/>.</summary>
    /// <exception cref="InvalidOperationException">promtool is not installed; the message has the install command.</exception>
    public static Task<(int ExitCode, string Output)> CheckRulesAsync(string rulesPath) => RunAsync(["check", "rules", rulesPath], string.Empty);

    private static async Task<(int ExitCode, string Output)> RunAsync(string[] arguments, string input)
    {
        if (!File.Exists(Path))
        {
            throw new InvalidOperationException($"{Path} is missing; install it with: {PrometheusServer.InstallCommand}");
        }

        var start = new ProcessStartInfo(Path, arguments)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var deadline = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"promtool {string.Join(' ', arguments)} did not finish within 30 s.");
        }

        return (process.ExitCode, await output + await errors);
    }
}
