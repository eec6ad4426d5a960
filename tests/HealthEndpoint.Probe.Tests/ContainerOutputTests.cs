using System;
using HealthEndpoint.Probe;

namespace HealthEndpoint.Probe.Tests;

/// <summary>Container mode: exit 0 or 1 and one line; only the status code counts.</summary>
[TestFixture]
public sealed class ContainerOutputTests
{
    private static readonly Uri Ping = new("http://127.0.0.1:8080/healthz/ping");

    [Test]
    public void Format_ExpectedStatus_IsOkWithRoundedMilliseconds()
    {
        var result = ProbeResult.Response(Ping, TimeSpan.FromMilliseconds(3.4), 200, "text/plain", "pong", bodyTruncated: false);

        var outcome = ContainerOutput.Format(result, StatusCodeExpectation.Success);

        Assert.That(outcome, Is.EqualTo(new ProbeOutcome(0, "OK 200 GET http://127.0.0.1:8080/healthz/ping in 3 ms")));
    }

    [Test]
    public void Format_UnexpectedStatus_FailsNamingTheExpectation()
    {
        var url = new Uri("http://127.0.0.1:8080/healthz/status");
        var result = ProbeResult.Response(url, TimeSpan.FromMilliseconds(12), 503, "application/json", "{}", bodyTruncated: false);

        var outcome = ContainerOutput.Format(result, StatusCodeExpectation.Success);

        Assert.That(outcome, Is.EqualTo(new ProbeOutcome(1, "FAIL 503 GET http://127.0.0.1:8080/healthz/status in 12 ms (expected 2xx)")));
    }

    [Test]
    public void Format_ExplicitExpectation_AcceptsOnlyThoseCodes()
    {
        var result = ProbeResult.Response(Ping, TimeSpan.FromMilliseconds(1), 204, null, string.Empty, bodyTruncated: false);

        Assert.That(ContainerOutput.Format(result, StatusCodeExpectation.Parse("200")).ExitCode, Is.EqualTo(1));
        Assert.That(ContainerOutput.Format(result, StatusCodeExpectation.Parse("200,204")).ExitCode, Is.Zero);
    }

    [Test]
    public void Format_HtmlBodyWithExpectedStatus_IsOkBecauseOnlyTheCodeCounts()
    {
        var result = ProbeResult.Response(Ping, TimeSpan.FromMilliseconds(2), 200, "text/html", "<html></html>", bodyTruncated: false);

        Assert.That(ContainerOutput.Format(result, StatusCodeExpectation.Success).ExitCode, Is.Zero);
    }

    [Test]
    public void Format_NoResponse_FailsWithTheReason()
    {
        var result = ProbeResult.Failed(Ping, TimeSpan.FromMilliseconds(1), "cannot connect to 127.0.0.1:8080: connection refused");

        var outcome = ContainerOutput.Format(result, StatusCodeExpectation.Success);

        Assert.That(outcome, Is.EqualTo(new ProbeOutcome(1, "FAIL cannot connect to 127.0.0.1:8080: connection refused")));
    }

    [Test]
    public void Format_UrlWithUserInformation_NeverPrintsIt()
    {
        var url = new Uri("http://probe:s3cret@127.0.0.1:8080/healthz/ping?x=1");
        var result = ProbeResult.Response(url, TimeSpan.Zero, 200, "text/plain", "pong", bodyTruncated: false);

        var outcome = ContainerOutput.Format(result, StatusCodeExpectation.Success);

        Assert.That(outcome.Line, Is.EqualTo("OK 200 GET http://127.0.0.1:8080/healthz/ping?x=1 in 0 ms"));
    }

    [Test]
    public void Usage_AnyMessage_IsUnknownWithExitOne()
    {
        Assert.That(ContainerOutput.Usage("unknown option '--frob' (see --help)"), Is.EqualTo(new ProbeOutcome(1, "UNKNOWN unknown option '--frob' (see --help)")));
    }
}
