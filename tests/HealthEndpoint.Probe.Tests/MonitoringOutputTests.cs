using System;
using HealthEndpoint.Probe;

namespace HealthEndpoint.Probe.Tests;

/// <summary>Monitoring mode (<c>--plugin</c>): state, text, perfdata and exit code for every kind of response.</summary>
[TestFixture]
public sealed class MonitoringOutputTests
{
    private const string Json = "application/json";
    private static readonly Uri Status = new("http://127.0.0.1:8080/healthz/status");

    [TestCase(200, Json, """{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}""", 0,
        "HEALTHENDPOINT OK - 200 in 4 ms, database ok, redis skipped | 'time'=0.004s;;;0 'database'=1;;1:;0;1")]
    [TestCase(200, Json, """{"checks":{"database":"ok","redis":"ok"},"status":"ok"}""", 0,
        "HEALTHENDPOINT OK - 200 in 4 ms, database ok, redis ok | 'time'=0.004s;;;0 'database'=1;;1:;0;1 'redis'=1;;1:;0;1")]
    [TestCase(503, Json, """{"checks":{"database":"fail","redis":"skipped"},"status":"fail"}""", 2,
        "HEALTHENDPOINT CRITICAL - 503 in 4 ms, database fail | 'time'=0.004s;;;0 'database'=0;;1:;0;1")]
    [TestCase(503, Json, """{"checks":{"database":"fail","redis":"fail"},"status":"fail"}""", 2,
        "HEALTHENDPOINT CRITICAL - 503 in 4 ms, database fail, redis fail | 'time'=0.004s;;;0 'database'=0;;1:;0;1 'redis'=0;;1:;0;1")]
    [TestCase(200, Json, """{"checks":{"database":"fail"},"status":"fail"}""", 2,
        "HEALTHENDPOINT CRITICAL - 200 in 4 ms, database fail | 'time'=0.004s;;;0 'database'=0;;1:;0;1")]
    [TestCase(200, Json, """{"checks":{},"status":"fail"}""", 2, "HEALTHENDPOINT CRITICAL - 200 in 4 ms, status fail | 'time'=0.004s;;;0")]
    [TestCase(200, Json, """{"status":"ok"}""", 0, "HEALTHENDPOINT OK - 200 in 4 ms | 'time'=0.004s;;;0")]
    [TestCase(200, "application/health+json", """{"checks":{"it's":"ok"},"status":"ok"}""", 0,
        "HEALTHENDPOINT OK - 200 in 4 ms, it's ok | 'time'=0.004s;;;0 'it''s'=1;;1:;0;1")]
    [TestCase(200, "text/plain", "pong", 0, "HEALTHENDPOINT OK - 200 in 4 ms | 'time'=0.004s;;;0")]
    [TestCase(204, null, "", 0, "HEALTHENDPOINT OK - 204 in 4 ms | 'time'=0.004s;;;0")]
    [TestCase(404, "text/html", "<h1>Not found</h1>", 2, "HEALTHENDPOINT CRITICAL - 404 in 4 ms (expected 2xx) | 'time'=0.004s;;;0")]
    [TestCase(503, "text/html", "<h1>Bad gateway</h1>", 2, "HEALTHENDPOINT CRITICAL - 503 in 4 ms (expected 2xx) | 'time'=0.004s;;;0")]
    [TestCase(503, Json, "{not json", 2, "HEALTHENDPOINT CRITICAL - 503 in 4 ms (expected 2xx) | 'time'=0.004s;;;0")]
    [TestCase(302, null, "", 2, "HEALTHENDPOINT CRITICAL - 302 in 4 ms (expected 2xx) | 'time'=0.004s;;;0")]
    [TestCase(200, "text/html", "<html>login</html>", 3,
        "HEALTHENDPOINT UNKNOWN - 200 in 4 ms, unexpected Content-Type text/html (expected application/json or text/plain) | 'time'=0.004s;;;0")]
    [TestCase(200, null, "pong", 3, "HEALTHENDPOINT UNKNOWN - 200 in 4 ms, unexpected body without Content-Type | 'time'=0.004s;;;0")]
    [TestCase(200, Json, "{not json", 3, "HEALTHENDPOINT UNKNOWN - 200 in 4 ms, unexpected status body: not valid JSON | 'time'=0.004s;;;0")]
    [TestCase(200, Json, "[1]", 3, "HEALTHENDPOINT UNKNOWN - 200 in 4 ms, unexpected status body: not a JSON object | 'time'=0.004s;;;0")]
    [TestCase(200, Json, """{"checks":{}}""", 3, "HEALTHENDPOINT UNKNOWN - 200 in 4 ms, unexpected status body: no \"status\" string | 'time'=0.004s;;;0")]
    [TestCase(200, Json, """{"status":"degraded"}""", 3,
        "HEALTHENDPOINT UNKNOWN - 200 in 4 ms, unexpected status body: \"status\" is neither ok nor fail | 'time'=0.004s;;;0")]
    [TestCase(200, Json, """{"checks":[],"status":"ok"}""", 3,
        "HEALTHENDPOINT UNKNOWN - 200 in 4 ms, unexpected status body: \"checks\" is not an object | 'time'=0.004s;;;0")]
    [TestCase(200, Json, """{"checks":{"database":true},"status":"ok"}""", 3,
        "HEALTHENDPOINT UNKNOWN - 200 in 4 ms, unexpected status body: a check name or state other than ok, fail or skipped | 'time'=0.004s;;;0")]
    [TestCase(200, Json, """{"checks":{"a|b":"ok"},"status":"ok"}""", 3,
        "HEALTHENDPOINT UNKNOWN - 200 in 4 ms, unexpected status body: a check name or state other than ok, fail or skipped | 'time'=0.004s;;;0")]
    public void Format_Response_GivesStateTextAndPerfdata(int statusCode, string? mediaType, string body, int exitCode, string line)
    {
        var result = ProbeResult.Response(Status, TimeSpan.FromMilliseconds(4), statusCode, mediaType, body, bodyTruncated: false);

        var outcome = MonitoringOutput.Format(result, ProbeArguments.Parse(["--plugin", Status.ToString()]));

        Assert.That(outcome, Is.EqualTo(new ProbeOutcome(exitCode, line)));
    }

    [TestCase(100, 0, "HEALTHENDPOINT OK - 200 in 100 ms, database ok | 'time'=0.100s;0.25;1;0 'database'=1;;1:;0;1")]
    [TestCase(300, 1, "HEALTHENDPOINT WARNING - 200 in 300 ms (> 250 ms), database ok | 'time'=0.300s;0.25;1;0 'database'=1;;1:;0;1")]
    [TestCase(1500, 2, "HEALTHENDPOINT CRITICAL - 200 in 1500 ms (> 1 s), database ok | 'time'=1.500s;0.25;1;0 'database'=1;;1:;0;1")]
    public void Format_ResponseTimeThresholds_WarnThenCritical(int milliseconds, int exitCode, string line)
    {
        var result = ProbeResult.Response(
            Status, TimeSpan.FromMilliseconds(milliseconds), 200, Json, """{"checks":{"database":"ok"},"status":"ok"}""", bodyTruncated: false);

        var outcome = MonitoringOutput.Format(result, ProbeArguments.Parse(["--plugin", Status.ToString(), "-w", "250ms", "-c", "1s"]));

        Assert.That(outcome, Is.EqualTo(new ProbeOutcome(exitCode, line)));
    }

    [Test]
    public void Format_TruncatedJson_IsUnknown()
    {
        var result = ProbeResult.Response(Status, TimeSpan.FromMilliseconds(4), 200, Json, "{", bodyTruncated: true);

        var outcome = MonitoringOutput.Format(result, ProbeArguments.Parse(["--plugin", Status.ToString()]));

        Assert.That(outcome, Is.EqualTo(new ProbeOutcome(3, "HEALTHENDPOINT UNKNOWN - 200 in 4 ms, unexpected status body: larger than 64 KiB | 'time'=0.004s;;;0")));
    }

    [Test]
    public void Format_NoResponse_IsCriticalWithoutPerfdata()
    {
        var result = ProbeResult.Failed(Status, TimeSpan.FromSeconds(2), "timeout: no response from 127.0.0.1:8080 within 2 s");

        var outcome = MonitoringOutput.Format(result, ProbeArguments.Parse(["--plugin", Status.ToString()]));

        Assert.That(outcome, Is.EqualTo(new ProbeOutcome(2, "HEALTHENDPOINT CRITICAL - timeout: no response from 127.0.0.1:8080 within 2 s")));
    }

    [Test]
    public void Usage_AnyMessage_IsUnknownWithExitThree()
    {
        Assert.That(MonitoringOutput.Usage("missing URL"), Is.EqualTo(new ProbeOutcome(3, "HEALTHENDPOINT UNKNOWN - missing URL")));
    }
}
