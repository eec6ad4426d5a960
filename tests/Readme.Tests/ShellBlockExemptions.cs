using System;
using System.Collections.Generic;
using System.Linq;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>A shell block of docs/ that is not run by <see cref="RunnableShellBlocksTests"/>: which, why, and what covers it.</summary>
/// <param name="Document">The document, relative to the repository root.</param>
/// <param name="Contains">Text the block contains (its first command), which finds it wherever it moves.</param>
/// <param name="Reason">Why it cannot run here as printed, and the test that runs what it shows.</param>
internal sealed record ShellBlockExemption(string Document, string Contains, string Reason);

/// <summary>
/// The shell blocks of docs/ that are not fenced <c>```bash runnable</c>. Each needs something the test machine does
/// not have at the printed address (a server on a fixed port, systemd units, a running HAProxy); each names the test
/// that runs what it shows another way. A shell block in docs/ that is neither runnable nor listed here fails
/// <see cref="RunnableShellBlocksTests.DocsShellBlocks_EachRunnableOrExemptWithAReason"/>, and so does an entry that
/// matches no block.
/// </summary>
internal static class ShellBlockExemptions
{
    public static readonly IReadOnlyList<ShellBlockExemption> All =
    [
        new("docs/plugins.md", "dotnet run --project samples/LegacyApp\ncurl",
            "serves the sample on the fixed port 5080 until Ctrl+C; LegacyApp.Tests.LegacyAppProcessTests runs it on its embedded defaults on a free port and gets this status body"),
        new("docs/plugins.md", "Database__Provider=Npgsql",
            "needs your PostgreSQL and Redis; LegacyApp.Tests.ReadmeTryItTests runs the README's same settings against real ones"),
        new("docs/probe-tool.md", "healthendpoint-probe http://127.0.0.1:8080/healthz/ping",
            "probes an app on the fixed port 8080; HealthEndpoint.Probe.Tests (ProbeAgainstLegacyAppTests, MonitoringOutputTests) run these flags against LegacyApp on a free port"),
        new("docs/recipes/haproxy.md", "socat stdio /run/haproxy/admin.sock",
            "needs a running HAProxy's admin socket; Recipes.Tests.HaproxyRecipeTests reads `show stat` from one"),
        new("docs/recipes/icinga-check-http.md", "/usr/lib/nagios/plugins/check_http",
            "the command line Icinga builds for an app on port 8080; Recipes.Tests.IcingaCheckHttpRecipeTests runs check_http against LegacyApp"),
        new("docs/recipes/icinga-probe.md", "healthendpoint-probe --plugin --critical 5s",
            "the command line Icinga builds for 10.0.0.5; HealthEndpoint.Probe.Tests' RecipeTests.IcingaStatusService_… builds it from the recipe and runs it against LegacyApp"),
        new("docs/recipes/rolling-restart.md", "systemctl stop \"legacyapp@808$i\"",
            "needs systemd units legacyapp@ and HAProxy; Recipes.Tests.RollingRestartTests performs the same procedure against three LegacyApp instances"),
    ];

    private static readonly string[] ShellLanguages = ["sh", "bash", "shell", "console"];

    /// <summary>One line per shell block that is neither runnable nor exempt, and per exemption that matches no block.</summary>
    public static List<string> Problems(IReadOnlyList<DocumentBlock> blocks, Func<string, string> relative)
    {
        var shell = blocks.Where(block => ShellLanguages.Contains(block.Language) && block.Info != "bash runnable").ToList();
        var problems = shell
            .Where(block => !All.Any(exemption => Matches(exemption, block, relative)))
            .Select(block => $"{relative(block.Document)}:{block.FirstLine}: a shell block neither fenced ```bash runnable nor listed in ShellBlockExemptions")
            .ToList();
        problems.AddRange(All
            .Where(exemption => !shell.Any(block => Matches(exemption, block, relative)))
            .Select(exemption => $"{exemption.Document}: the exemption for '{exemption.Contains}' matches no block"));
        return problems;
    }

    private static bool Matches(ShellBlockExemption exemption, DocumentBlock block, Func<string, string> relative) =>
        relative(block.Document) == exemption.Document && block.Text.Contains(exemption.Contains, StringComparison.Ordinal);
}
