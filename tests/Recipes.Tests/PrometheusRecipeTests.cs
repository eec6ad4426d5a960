using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace Recipes.Tests;

/// <summary>
/// docs/recipes/prometheus.md run as written: LegacyApp (on a real PostgreSQL) with the recipe's appsettings keys,
/// one Debian Prometheus with the recipe's scrape configuration and rules file, and the queries the recipe lists.
/// Only the targets, the 15 s intervals (1 s here) and the allowed network (127.0.0.1/32, where Prometheus and this
/// test connect from) are substituted; see <see cref="PrometheusRecipe"/>.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class PrometheusRecipeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private RecipeStack _stack = null!;
    private PrometheusServer _prometheus = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _stack = await RecipeStack.StartAsync(settings: PrometheusRecipe.AppSettings());
        _client = RecipeStack.CreateClient();

        // The state gauge has a series once a status run happened; Prometheus' scrapes run no checks themselves.
        Assert.That(await StatusCodeAsync(), Is.EqualTo(HttpStatusCode.OK), _stack.App.Output);
        _prometheus = await PrometheusServer.StartAsync(
            PrometheusRecipe.ScrapeConfiguration(_stack.AppAddress),
            new Dictionary<string, string> { [PrometheusRecipe.RulesFileName] = PrometheusRecipe.Rules() });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client?.Dispose();
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        await _stack.DisposeAsync();
    }

    [Test]
    public async Task RecipeFiles_PromtoolCheck_Accepted()
    {
        var configuration = WriteRecipeFiles("as-written", PrometheusRecipe.ScrapeConfiguration(_stack.AppAddress), PrometheusRecipe.Rules());

        var config = await Promtool.CheckConfigAsync(configuration);
        var rules = await Promtool.CheckRulesAsync(Path.Combine(Path.GetDirectoryName(configuration)!, PrometheusRecipe.RulesFileName));

        Assert.That(config.ExitCode, Is.Zero, config.Output);
        Assert.That(config.Output, Does.Contain("SUCCESS: 1 rule files found").And.Contain("is valid prometheus config file syntax"));
        Assert.That(rules.ExitCode, Is.Zero, rules.Output);
        Assert.That(rules.Output, Does.Contain("SUCCESS: 2 rules found"));
    }

    // Controls: the same checks reject a broken copy of either file.
    [TestCase("scrape_interval: 1s", "scrape_interval: 1", "not a valid duration string: \"1\"", TestName = "ScrapeConfiguration_IntervalWithoutUnit_PromtoolRejects")]
    [TestCase("for: 2m", "for: 2 minutes", "not a valid duration string: \"2 minutes\"", TestName = "Rules_ForWithoutDuration_PromtoolRejects")]
    [TestCase("healthendpoint_check_state == 0", "healthendpoint_check_state ==", "parse error", TestName = "Rules_IncompleteExpression_PromtoolRejects")]
    public async Task RecipeFiles_Broken_PromtoolRejects(string original, string broken, string error)
    {
        var scrape = PrometheusRecipe.ScrapeConfiguration(_stack.AppAddress);
        var rules = PrometheusRecipe.Rules();
        var inScrape = scrape.Contains(original, StringComparison.Ordinal);
        Assert.That(inScrape || rules.Contains(original, StringComparison.Ordinal), Is.True, $"the recipe still has '{original}'");
        var configuration = WriteRecipeFiles(
            Guid.NewGuid().ToString("N"),
            inScrape ? scrape.Replace(original, broken, StringComparison.Ordinal) : scrape,
            inScrape ? rules : rules.Replace(original, broken, StringComparison.Ordinal));

        var result = inScrape
            ? await Promtool.CheckConfigAsync(configuration)
            : await Promtool.CheckRulesAsync(Path.Combine(Path.GetDirectoryName(configuration)!, PrometheusRecipe.RulesFileName));

        Assert.That(result.ExitCode, Is.Not.Zero, result.Output);
        Assert.That(result.Output, Does.Contain("FAILED").And.Contain(error));
    }

    [Test]
    public async Task RecipeQueries_AllChecksOk_StateAndAbandonedEmptyLatencyOneSeriesPerCheck()
    {
        var queries = PrometheusRecipe.Queries();
        Assert.That(queries, Has.Count.EqualTo(3), "the recipe lists three queries");
        var stateQuery = queries.Single(query => query.StartsWith("healthendpoint_check_state", StringComparison.Ordinal));
        var latencyQuery = queries.Single(query => query.StartsWith("histogram_quantile(", StringComparison.Ordinal));
        var abandonedQuery = queries.Single(query => query.StartsWith("healthendpoint_check_abandoned", StringComparison.Ordinal));

        // rate() needs two scrapes that saw new measurements: a status run between polls gives it them.
        var checks = Array.Empty<string>();
        await Poll.UntilAsync(async () =>
        {
            Assert.That(await StatusCodeAsync(), Is.EqualTo(HttpStatusCode.OK), _stack.App.Output);
            checks = CheckNames(await _prometheus.QueryAsync("healthendpoint_check_state"));
            var latency = await _prometheus.QueryAsync(latencyQuery);
            return checks.Length > 0 && latency.Count == checks.Length && latency.All(series => double.IsFinite(series.Value));
        }, Deadline, "Prometheus has a finite 95th percentile per check");

        var states = await _prometheus.QueryAsync("healthendpoint_check_state");
        var abandoned = await _prometheus.QueryAsync("healthendpoint_check_abandoned");
        var latencies = await _prometheus.QueryAsync(latencyQuery);
        var failing = await _prometheus.QueryAsync(stateQuery);
        var hanging = await _prometheus.QueryAsync(abandonedQuery);
        Assert.Multiple(() =>
        {
            Assert.That(checks, Does.Contain("database"));
            Assert.That(failing, Is.Empty, "every check is ok");
            Assert.That(hanging, Is.Empty, "no operation hangs");
            Assert.That(CheckNames(latencies), Is.EqualTo(checks), "one latency series per check");
            Assert.That(latencies.Select(series => series.Value), Has.All.GreaterThan(0.0).And.All.LessThan(10.0));

            // Controls: the empty answers come from the values, not from missing series.
            Assert.That(states.Select(series => series.Value).ToList(), Has.Count.EqualTo(checks.Length).And.All.EqualTo(1.0));
            Assert.That(CheckNames(abandoned), Is.EqualTo(checks));
            Assert.That(abandoned.Select(series => series.Value), Has.All.EqualTo(0.0));
        });
    }

    [Test]
    public async Task RecipeStateQuery_DatabaseStopped_ReturnsDatabaseSeries()
    {
        var stateQuery = PrometheusRecipe.Queries().Single(query => query.StartsWith("healthendpoint_check_state", StringComparison.Ordinal));
        await _stack.Database.StopAsync();
        try
        {
            await Poll.UntilAsync(async () =>
            {
                await StatusCodeAsync();
                return CheckNames(await _prometheus.QueryAsync(stateQuery)).SequenceEqual(["database"]);
            }, Deadline, "the state query returns the stopped database's check");
        }
        finally
        {
            await _stack.Database.StartAgainAsync();
        }

        await Poll.UntilAsync(async () => await StatusCodeAsync() == HttpStatusCode.OK && (await _prometheus.QueryAsync(stateQuery)).Count == 0,
            Deadline, "the state query is empty again once the database is back");
    }

    [Test]
    public async Task RecipeRules_Loaded_BothAlertsHealthOk()
    {
        var names = PrometheusRecipe.AlertNames();
        IReadOnlyList<(string Name, string Health)> rules = [];
        await Poll.UntilAsync(async () =>
        {
            rules = await _prometheus.AlertingRulesAsync();
            return rules.Count == names.Count && rules.All(rule => rule.Health == "ok");
        }, Deadline, "Prometheus has evaluated the recipe's rules");

        Assert.That(names, Is.EqualTo(new[] { "HealthEndpointCheckFailing", "HealthEndpointCheckAbandoned" }));
        Assert.That(rules.Select(rule => rule.Name), Is.EqualTo(names));
        Assert.That(rules.Select(rule => rule.Health), Has.All.EqualTo("ok"));
    }

    [Test]
    public async Task MetricsPage_ClientOutsideAllowedNetwork_Gets404WhilePrometheusScrapes()
    {
        var page = new Uri(_stack.AppBaseUri, "metrics");
        using var allowed = new LoopbackClient(IPAddress.Parse(PrometheusRecipe.AllowedClient));
        using var outside = new LoopbackClient(IPAddress.Parse("127.0.0.2"));

        await Poll.UntilAsync(async () => (await _prometheus.QueryAsync("up{job=\"legacyapp\"} == 1")).Count == 1, Deadline, "Prometheus scrapes the app");

        Assert.That(await outside.GetStatusAsync(page), Is.EqualTo(404));
        Assert.That(await allowed.GetStatusAsync(page), Is.EqualTo(200), "control: the allowed network gets the page");
    }

    private static string[] CheckNames(IEnumerable<(IReadOnlyDictionary<string, string> Labels, double Value)> series) =>
        series.Select(one => one.Labels["healthendpoint_check_name"]).Order(StringComparer.Ordinal).ToArray();

    private async Task<HttpStatusCode> StatusCodeAsync()
    {
        using var response = await _client.GetAsync(new Uri(_stack.AppBaseUri, "healthz/status"));
        return response.StatusCode;
    }

    // prometheus.yml and the rules file side by side, as rule_files names it; returns prometheus.yml's path.
    private string WriteRecipeFiles(string folder, string configuration, string rules)
    {
        var directory = Directory.CreateDirectory(_stack.TempPath(folder)).FullName;
        File.WriteAllText(Path.Combine(directory, PrometheusRecipe.RulesFileName), rules);
        var path = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(path, configuration);
        return path;
    }
}
