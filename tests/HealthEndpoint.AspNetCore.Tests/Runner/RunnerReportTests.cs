using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using HealthChecks.NpgSql;
using HealthEndpoint.Owin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HealthEndpoint.AspNetCore.Tests.Runner;

/// <summary>
/// The opt-in runner under unchanged MapHealthChecks endpoints, over Kestrel's sockets: the report ASP.NET Core's own
/// service makes (the control app, without the opt-in), now from one shared run.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class RunnerReportTests
{
    [Test]
    public async Task MapHealthChecks_WithRunner_ReportsTheEntriesPredicatesAndTagsAspNetCoreReports()
    {
        await using var ours = await RunnerApp.StartAsync(runner: true, AddMixedChecks);
        await using var control = await RunnerApp.StartAsync(runner: false, AddMixedChecks);

        foreach (var path in new[] { RunnerApp.AllPath, RunnerApp.ReadyPath, RunnerApp.LivePath })
        {
            var (code, body) = await GetAsync(ours, path);
            var (controlCode, controlBody) = await GetAsync(control, path);
            TestContext.Out.WriteLine($"GET {path} with the runner: {code} {body}");
            TestContext.Out.WriteLine($"GET {path} without (control): {controlCode} {controlBody}");
            Assert.That((code, ReportJson.WithoutDurations(body)), Is.EqualTo((controlCode, ReportJson.WithoutDurations(controlBody))), path);
        }

        var all = JsonNode.Parse((await GetAsync(ours, RunnerApp.AllPath)).Body)!;
        var ready = JsonNode.Parse((await GetAsync(ours, RunnerApp.ReadyPath)).Body)!;
        var live = await GetAsync(ours, RunnerApp.LivePath);
        Assert.Multiple(() =>
        {
            Assert.That((string?)all["status"], Is.EqualTo("Unhealthy"));
            Assert.That(Names(all), Is.EqualTo(new[] { "Payments API", "cache", "postgres" }));
            Assert.That(Fields(all["entries"]!["postgres"]!), Is.EqualTo(("Healthy", (string?)null, (string?)null, "db,ready")));
            Assert.That(Fields(all["entries"]!["cache"]!), Is.EqualTo(("Degraded", "warming up", (string?)null, "ready")));
            Assert.That((string?)all["entries"]!["cache"]!["data"]!["call"], Is.EqualTo("1"));
            Assert.That(Fields(all["entries"]!["Payments API"]!), Is.EqualTo(("Unhealthy", "card gateway refused", "InvalidOperationException: card gateway refused", "external")));
            Assert.That((double)all["entries"]!["postgres"]!["durationMs"]!, Is.GreaterThan(0), "the check's own duration");
            Assert.That((double)all["totalDurationMs"]!, Is.GreaterThanOrEqualTo((double)all["entries"]!["postgres"]!["durationMs"]!));
            Assert.That(((string?)ready["status"], Names(ready)), Is.EqualTo(("Degraded", new[] { "cache", "postgres" })), "the ready tag's predicate");
            Assert.That(live, Is.EqualTo((200, """{"status":"Healthy","totalDurationMs":0,"entries":{}}""")), "a predicate that selects none");
        });
    }

    [Test]
    public async Task MapHealthChecks_ConcurrentRequests_WithRunnerOneRunAndOneReport_WithoutOneRunEach()
    {
        const int Requests = 50;
        var oursCheck = new CountingDegradedCheck(TimeSpan.FromMilliseconds(300));
        var controlCheck = new CountingDegradedCheck(TimeSpan.FromMilliseconds(300));
        await using var ours = await RunnerApp.StartAsync(
            runner: true, checks => checks.AddCheck("slow", oursCheck), options => options.StatusCacheDuration = TimeSpan.FromSeconds(5));
        await using var control = await RunnerApp.StartAsync(runner: false, checks => checks.AddCheck("slow", controlCheck));

        var first = await BurstAsync(ours, Requests);
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // past a failed run's reuse (5 s / 20), within a healthy one's
        var second = await BurstAsync(ours, Requests);
        var controlAnswers = await BurstAsync(control, Requests);

        TestContext.Out.WriteLine($"with the runner: {Requests} + {Requests} concurrent requests, {oursCheck.Calls} check call(s), {first.Concat(second).Distinct().Count()} distinct body: {first[0]}");
        TestContext.Out.WriteLine($"without (control): {Requests} concurrent requests, {controlCheck.Calls} check calls, {controlAnswers.Distinct().Count()} distinct bodies");
        Assert.Multiple(() =>
        {
            Assert.That(oursCheck.Calls, Is.EqualTo(1), "one shared run, reused: Degraded counts as ok, as HealthCheckAdapter maps it");
            Assert.That(first.Concat(second).Distinct().Count(), Is.EqualTo(1), "every request got the same report, durations included");
            Assert.That(controlCheck.Calls, Is.EqualTo(Requests), "control: ASP.NET Core runs the check per request");
            Assert.That(controlAnswers.Distinct().Count(), Is.GreaterThan(1), "control: a report per request");
        });
    }

    [Test]
    public async Task MapHealthChecks_CheckNeverAnswers_WithRunnerTimeoutEntryAtTheDeadlineAndOneCall()
    {
        var hanging = new HangingCheck();
        await using var ours = await RunnerApp.StartAsync(
            runner: true,
            checks => checks.AddCheck("stuck", hanging, HealthStatus.Degraded, ["ready"]),
            options => options.CheckTimeout = TimeSpan.FromMilliseconds(300));
        try
        {
            var clock = Stopwatch.StartNew();
            var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => GetAsync(ours, RunnerApp.AllPath)));
            var burst = clock.Elapsed;
            await Task.Delay(TimeSpan.FromMilliseconds(100)); // past the failed run's reuse: the next run joins the hung call
            var again = await GetAsync(ours, RunnerApp.AllPath);

            var entry = JsonNode.Parse(again.Body)!["entries"]!["stuck"]!;
            TestContext.Out.WriteLine($"20 concurrent requests answered in {burst.TotalMilliseconds:0} ms: {answers[0].Code} {answers[0].Body}; {hanging.Calls} call(s)");
            Assert.Multiple(() =>
            {
                Assert.That(answers.Select(answer => answer.Code), Is.All.EqualTo(200), "Degraded is the registration's failure status: MapHealthChecks answers 200");
                Assert.That(Fields(entry), Is.EqualTo(("Degraded", "A timeout occurred while running check.", (string?)"TimeoutException: The check did not finish within the runner's CheckTimeout (300 ms); its operation still runs, and the next run joins it.", "ready")));
                Assert.That((double)entry["durationMs"]!, Is.EqualTo(300));
                Assert.That(hanging.Calls, Is.EqualTo(1), "one operation in flight: the second run joined the first's");
            });
        }
        finally
        {
            hanging.Release();
        }
    }

    [Test]
    public async Task AddHealthEndpointRunner_BeforeAddHealthChecks_StillReplacesTheService()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHealthEndpointRunner();
        services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy());
        await using var provider = services.BuildServiceProvider();

        var service = provider.GetRequiredService<HealthCheckService>();
        var report = await service.CheckHealthAsync();

        Assert.That(service.GetType().Assembly, Is.SameAs(typeof(HealthEndpointRunnerServiceCollectionExtensions).Assembly));
        Assert.That(report.Entries.Keys, Is.EqualTo(new[] { "self" }));
    }

    [Test]
    public void AddHealthEndpointRunner_BadCheckTimeout_ThrowsNamingTheKey()
    {
        var exception = Assert.Throws<HealthEndpointConfigurationException>(
            () => new ServiceCollection().AddHealthEndpointRunner(options => options.CheckTimeout = TimeSpan.Zero));
        Assert.That(exception!.Keys, Is.EqualTo(new[] { "HealthEndpointOptions.CheckTimeout" }));
    }

    [Test]
    public void AddHealthEndpointRunner_ChecksInTheOptions_ThrowsNamingTheKey()
    {
        var exception = Assert.Throws<HealthEndpointConfigurationException>(
            () => new ServiceCollection().AddHealthEndpointRunner(options => options.Checks.Add(new NamedHealthCheck("x", _ => Task.CompletedTask))));
        Assert.That((exception!.Keys, exception.Message), Is.EqualTo((new[] { "HealthEndpointOptions.Checks" },
            "Invalid configuration: HealthEndpointOptions.Checks does not apply to AddHealthEndpointRunner: it runs the app's AddHealthChecks() registrations; register the check there.")));
    }

    // A real Xabaril check, a Degraded one with data, and one that throws (a name the core would not accept).
    private static void AddMixedChecks(IHealthChecksBuilder checks) => checks
        .AddNpgSql(RunnerServers.Postgres.ConnectionString, name: "postgres", tags: ["db", "ready"])
        .AddCheck("cache", () => HealthCheckResult.Degraded("warming up", data: new Dictionary<string, object> { ["call"] = 1 }), tags: ["ready"])
        .AddCheck("Payments API", new ThrowingCheck("card gateway refused"), tags: ["external"]);

    private static async Task<(int Code, string Body)> GetAsync(RunnerApp app, string path)
    {
        using var client = app.Client(1, TimeSpan.FromSeconds(30));
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string[]> BurstAsync(RunnerApp app, int requests)
    {
        using var client = app.Client(requests, TimeSpan.FromSeconds(30));
        return await Task.WhenAll(Enumerable.Range(0, requests).Select(_ => Task.Run(async () =>
        {
            using var response = await client.GetAsync(new Uri(RunnerApp.AllPath, UriKind.Relative));
            return await response.Content.ReadAsStringAsync();
        })));
    }

    private static string[] Names(JsonNode report) => report["entries"]!.AsObject().Select(pair => pair.Key).ToArray();

    private static (string?, string?, string?, string) Fields(JsonNode entry) => (
        (string?)entry["status"],
        (string?)entry["description"],
        (string?)entry["exception"],
        string.Join(",", entry["tags"]!.AsArray().Select(tag => (string?)tag)));
}
