using System;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests.Answers;

/// <summary>Per-check latency where a caller asks for detail: health+json and <c>?verbose</c>; never in the RT JSON.</summary>
[TestFixture]
public sealed class CheckLatencyTests
{
    private const string HealthJson = "application/health+json";
    private const int DelayMilliseconds = 150;

    [Test]
    public async Task Invoke_HealthJsonWithSlowCheck_ReportsAtLeastItsDelayAndWhenItRan()
    {
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, SlowDatabase());
        var before = DateTime.UtcNow;

        var environment = await ProbeFixture.SendAsync(middleware, "GET", "/healthz/status", accept: HealthJson);

        using var json = JsonDocument.Parse(environment.ResponseBodyText());
        var database = json.RootElement.GetProperty("checks").GetProperty("database")[0];
        Assert.That(database.GetProperty("observedUnit").GetString(), Is.EqualTo("ms"));
        Assert.That(database.GetProperty("observedValue").GetDouble(), Is.GreaterThanOrEqualTo(DelayMilliseconds));
        var time = DateTime.Parse(database.GetProperty("time").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        Assert.That(time, Is.InRange(before.AddMilliseconds(-1), DateTime.UtcNow));
        Assert.That(json.RootElement.GetProperty("checks").TryGetProperty("redis", out _), Is.False, "skipped: left out");
    }

    [Test]
    public async Task Invoke_HealthJsonWithFastCheck_ReportsLessThanTheSlowDelay()
    {
        // The control: the value follows the check, it is not a constant at least the delay.
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, ProbeFixture.AllOn("ok"));

        var environment = await ProbeFixture.SendAsync(middleware, "GET", "/healthz/status", accept: HealthJson);

        using var json = JsonDocument.Parse(environment.ResponseBodyText());
        var database = json.RootElement.GetProperty("checks").GetProperty("database")[0];
        Assert.That(database.GetProperty("observedValue").GetDouble(), Is.LessThan(DelayMilliseconds));
    }

    [Test]
    public async Task Invoke_HealthJsonWithHungCheck_ReportsTheTimeoutAsFail()
    {
        var hung = new TaskCompletionSource<bool>();
        var options = ProbeFixture.AllOn();
        options.Database = _ => hung.Task;
        options.CheckTimeout = TimeSpan.FromMilliseconds(200);
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);

        var environment = await ProbeFixture.SendAsync(middleware, "GET", "/healthz/status", accept: HealthJson);
        hung.SetResult(true);

        Assert.That(environment.StatusCode(), Is.EqualTo(503));
        Assert.That(
            MeasuredTimes.Mask(environment.ResponseBodyText()),
            Is.EqualTo("""{"checks":{"database":[{"componentType":"datastore","observedUnit":"ms","observedValue":N,"status":"fail","time":"T"}]},"status":"fail"}"""));
        Assert.That(environment.ResponseBodyText(), Does.Contain("\"observedValue\":200,"), "an abandoned check reports the deadline");
    }

    [Test]
    public async Task Invoke_HealthJsonWithExcludedSlowCheck_CarriesNoLatency()
    {
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, SlowDatabase());

        var environment = await ProbeFixture.SendAsync(middleware, "GET", "/healthz/status", "exclude=database", HealthJson);

        Assert.That(environment.ResponseBodyText(), Is.EqualTo("""{"status":"pass"}"""));
    }

    [Test]
    public async Task Invoke_ReadyzVerboseWithSlowCheck_ShowsItsTimeAndNoneForSkipped()
    {
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, SlowDatabase());

        var environment = await ProbeFixture.SendAsync(middleware, "GET", "/readyz", "verbose");

        var lines = environment.ResponseBodyText().Split('\n');
        Assert.That(lines[0], Does.Match(@"^\[\+\]database ok \(\d+ ms\)$"));
        var shown = int.Parse(lines[0].Split('(')[1].Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.That(shown, Is.GreaterThanOrEqualTo(DelayMilliseconds));
        Assert.That(lines[1], Is.EqualTo("[+]redis skipped"));
        Assert.That(lines[2], Is.EqualTo("readyz check passed"));
    }

    [Test]
    public async Task Invoke_ReadyzVerboseWithExcludedCheck_ShowsNoTimeForIt()
    {
        var options = SlowDatabase();
        options.Redis = ProbeFixture.Check("ok");
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);

        var environment = await ProbeFixture.SendAsync(middleware, "GET", "/readyz", "verbose&exclude=database");

        Assert.That(MeasuredTimes.Mask(environment.ResponseBodyText()), Is.EqualTo("[+]database skipped\n[+]redis ok (N ms)\nreadyz check passed\n"));
    }

    [Test]
    public async Task Invoke_ReadyzWithoutVerbose_ShowsNoTimes()
    {
        var options = SlowDatabase();
        options.Redis = ProbeFixture.Check("fail");
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);

        var environment = await ProbeFixture.SendAsync(middleware, "GET", "/readyz");

        Assert.That(environment.ResponseBodyText(), Is.EqualTo("[+]database ok\n[-]redis fail\nreadyz check failed\n"));
    }

    [Test]
    public async Task Invoke_StatusWithSlowCheck_RtJsonCarriesNoLatency()
    {
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, SlowDatabase());

        var environment = await ProbeFixture.SendAsync(middleware, "GET", "/healthz/status", "verbose");

        Assert.That(environment.ResponseBodyText(), Is.EqualTo("""{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}"""));
    }

    private static HealthEndpointOptions SlowDatabase()
    {
        var options = ProbeFixture.AllOn();
        options.Database = _ => TakeAtLeastAsync(DelayMilliseconds);
        return options;
    }

    // Timers may fire up to a tick early by the Stopwatch (measured: Task.Delay(150) seen as 149 ms), so the check
    // waits until the Stopwatch itself shows the delay: "at least the delay" then holds by construction.
    private static async Task TakeAtLeastAsync(int milliseconds)
    {
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < milliseconds)
        {
            await Task.Delay(milliseconds - (int)clock.ElapsedMilliseconds + 1, CancellationToken.None);
        }
    }
}
