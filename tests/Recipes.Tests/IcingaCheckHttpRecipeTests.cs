using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;

namespace Recipes.Tests;

/// <summary>docs/recipes/icinga-check-http.md: the ITL http command's check_http run against LegacyApp and a real PostgreSQL.</summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class IcingaCheckHttpRecipeTests
{
    private const string CheckHttp = "/usr/lib/nagios/plugins/check_http";

    [Test]
    public async Task RtHealthConf_DatabaseStoppedAndStarted_StatusServiceGoesOkCriticalOkAndPingStaysOk()
    {
        await using var stack = await RecipeStack.StartAsync();
        var config = RecipeFile.Load("icinga-check-http.md").Block("rt-health.conf").Text;
        var status = Arguments(IcingaServiceDefinition.Parse(config, "rt-status"), stack.App.Port);
        var ping = Arguments(IcingaServiceDefinition.Parse(config, "rt-ping"), stack.App.Port);
        Assert.That(status, Is.EqualTo(new[] { "-I", "127.0.0.1", "-u", "/healthz/status", "-p", stack.App.Port.ToString(CultureInfo.InvariantCulture), "-s", "\"status\":\"ok\"", "-t", "5" }));

        var pingResults = new List<string>();
        var statusOutputs = new List<string>();
        async Task<string> ObserveAsync()
        {
            pingResults.Add((await RunAsync(ping)).Summary);
            var (summary, output) = await RunAsync(status);
            statusOutputs.Add(output);
            return summary;
        }

        await HealthTransitions.RunAsync(stack, "check_http rt-status", ObserveAsync, healthy: "0 HTTP OK", unhealthy: "2 HTTP CRITICAL");
        Assert.That(pingResults, Is.Not.Empty.And.All.EqualTo("0 HTTP OK"), "rt-ping stays OK while the database is down");
        Assert.That(statusOutputs, Has.Some.StartsWith("HTTP CRITICAL: HTTP/1.1 503 Service Unavailable"), "CRITICAL comes from the status line (5xx)");
    }

    private static List<string> Arguments(IcingaServiceDefinition service, int appPort) =>
        [.. service.CheckHttpArguments((variable, value) => variable == "http_port" && value == "8080" ? appPort.ToString(CultureInfo.InvariantCulture) : value)];

    // "exit code" + the first two words of the plugin's one-line output, e.g. "2 HTTP CRITICAL".
    private static async Task<(string Summary, string Output)> RunAsync(IReadOnlyList<string> arguments)
    {
        var result = await CheckHttpProcess.RunAsync(CheckHttp, arguments);
        var words = result.Output.Split(' ', 3);
        var summary = words.Length >= 2 ? $"{result.ExitCode} {words[0]} {words[1].TrimEnd(':')}" : $"{result.ExitCode} {result.Output}";
        return (summary, result.Output);
    }
}
