using System;
using HealthEndpoint.Probe;

namespace HealthEndpoint.Probe.Tests;

/// <summary>
/// Monitoring mode on <c>application/health+json</c> bodies (IETF draft-inadarei-api-health-check, as HealthEndpoint
/// renders it with <c>HealthJson=true</c>): the same states and exit codes as the RT JSON, plus each check's latency
/// from <c>observedValue</c>/<c>observedUnit</c> as <c>'&lt;check&gt;_time'</c> perfdata.
/// </summary>
[TestFixture]
public sealed class HealthJsonPerfdataTests
{
    private const string HealthJson = "application/health+json";
    private static readonly Uri Status = new("http://127.0.0.1:8080/healthz/status");

    // HealthEndpoint's own body for a healthy database check (README, HealthJson), byte for byte.
    private const string Passing =
        """{"checks":{"database":[{"componentType":"datastore","observedUnit":"ms","observedValue":3.214,"status":"pass","time":"2026-11-28T05:01:02.123Z"}]},"status":"pass"}""";

    // A database that missed CheckTimeout (1 s) beside a custom check that passed in 0.4 ms.
    private const string Failing =
        """{"checks":{"database":[{"componentType":"datastore","observedUnit":"ms","observedValue":1000,"status":"fail","time":"2026-11-28T05:01:02.123Z"}],"queue":[{"observedUnit":"ms","observedValue":0.4,"status":"pass","time":"2026-11-28T05:01:02.123Z"}]},"status":"fail"}""";

    [TestCase(200, Passing, 0,
        "HEALTHENDPOINT OK - 200 in 4 ms, database ok | 'time'=0.004s;;;0 'database'=1;;1:;0;1 'database_time'=0.003214s;;;0")]
    [TestCase(503, Failing, 2,
        "HEALTHENDPOINT CRITICAL - 503 in 4 ms, database fail | 'time'=0.004s;;;0 'database'=0;;1:;0;1 'database_time'=1.000s;;;0 'queue'=1;;1:;0;1 'queue_time'=0.0004s;;;0")]
    [TestCase(200, """{"checks":{"database":[{"status":"pass"}]},"status":"pass"}""", 0,
        "HEALTHENDPOINT OK - 200 in 4 ms, database ok | 'time'=0.004s;;;0 'database'=1;;1:;0;1")]
    [TestCase(200, """{"status":"pass"}""", 0, "HEALTHENDPOINT OK - 200 in 4 ms | 'time'=0.004s;;;0")]
    [TestCase(200, """{"checks":{"cache":[{"observedUnit":"ms","observedValue":2,"status":"warn"}]},"status":"warn"}""", 1,
        "HEALTHENDPOINT WARNING - 200 in 4 ms, cache warn | 'time'=0.004s;;;0 'cache'=1;;1:;0;1 'cache_time'=0.002s;;;0")]
    [TestCase(200, """{"status":"warn"}""", 1, "HEALTHENDPOINT WARNING - 200 in 4 ms, status warn | 'time'=0.004s;;;0")]
    public void Format_HealthJsonBody_GivesStatePerfdataAndCheckLatency(int statusCode, string body, int exitCode, string line)
    {
        Assert.That(Format(statusCode, body), Is.EqualTo(new ProbeOutcome(exitCode, line)));
    }

    [TestCase("ms", "12.5", "'db_time'=0.0125s;;;0")]
    [TestCase("s", "0.25", "'db_time'=0.250s;;;0")]
    [TestCase("us", "1500", "'db_time'=0.0015s;;;0")]
    [TestCase("ns", "2000000", "'db_time'=0.002s;;;0")]
    public void Format_TimeUnits_AreConvertedToSeconds(string unit, string value, string perfdata)
    {
        var body = $$"""{"checks":{"db":[{"observedUnit":"{{unit}}","observedValue":{{value}},"status":"pass"}]},"status":"pass"}""";

        Assert.That(Format(200, body).Line, Does.EndWith("'db'=1;;1:;0;1 " + perfdata));
    }

    [TestCase("""{"observedUnit":"MiB","observedValue":12,"status":"pass"}""")]
    [TestCase("""{"observedUnit":"ms","observedValue":-1,"status":"pass"}""")]
    [TestCase("""{"observedUnit":"ms","observedValue":"3","status":"pass"}""")]
    [TestCase("""{"observedValue":3,"status":"pass"}""")]
    public void Format_ObservedValueNotALatency_HasNoCheckTime(string check)
    {
        var outcome = Format(200, $$"""{"checks":{"db":[{{check}}]},"status":"pass"}""");

        Assert.That(outcome, Is.EqualTo(new ProbeOutcome(0, "HEALTHENDPOINT OK - 200 in 4 ms, db ok | 'time'=0.004s;;;0 'db'=1;;1:;0;1")));
    }

    [Test]
    public void Format_SeveralInstances_WorstStateAndLongestLatency()
    {
        var body = """{"checks":{"db":[{"observedUnit":"ms","observedValue":2,"status":"pass"},{"observedUnit":"ms","observedValue":9,"status":"fail"}]},"status":"fail"}""";

        Assert.That(Format(503, body).Line, Is.EqualTo("HEALTHENDPOINT CRITICAL - 503 in 4 ms, db fail | 'time'=0.004s;;;0 'db'=0;;1:;0;1 'db_time'=0.009s;;;0"));
    }

    [Test]
    public void Format_RtJsonOfTheSameChecks_HasNoCheckTime()
    {
        // Control: the RT JSON carries no latency, so the check's _time comes only from health+json.
        var outcome = Format(200, """{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}""", "application/json");

        Assert.That(outcome.Line, Is.EqualTo("HEALTHENDPOINT OK - 200 in 4 ms, database ok, redis skipped | 'time'=0.004s;;;0 'database'=1;;1:;0;1"));
    }

    [TestCase("""{"checks":{"db":[]},"status":"pass"}""")]
    [TestCase("""{"checks":{"db":[{"status":"up"}]},"status":"pass"}""")]
    [TestCase("""{"checks":{"db":[{"observedValue":3}]},"status":"pass"}""")]
    [TestCase("""{"checks":{"db":["pass"]},"status":"pass"}""")]
    [TestCase("""{"checks":{"a|b":[{"status":"pass"}]},"status":"pass"}""")]
    public void Format_MalformedHealthJsonCheck_IsUnknown(string body)
    {
        Assert.That(Format(200, body), Is.EqualTo(new ProbeOutcome(3,
            "HEALTHENDPOINT UNKNOWN - 200 in 4 ms, unexpected status body: a health+json check with a bad name or without a pass, warn or fail status | 'time'=0.004s;;;0")));
    }

    [Test]
    public void Format_UnknownTopLevelStatus_IsUnknown()
    {
        Assert.That(Format(200, """{"status":"up"}""").ExitCode, Is.EqualTo(3));
    }

    private static ProbeOutcome Format(int statusCode, string body, string mediaType = HealthJson)
    {
        var result = ProbeResult.Response(Status, TimeSpan.FromMilliseconds(4), statusCode, mediaType, body, bodyTruncated: false);
        return MonitoringOutput.Format(result, ProbeArguments.Parse(["--plugin", Status.ToString()]));
    }
}
