using System;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Probe.Tests;

/// <summary>
/// The built tool, as its own process, where nothing healthy answers: a closed port, a malformed URL, an HTML page,
/// a server that accepts and never answers, an untrusted certificate, plain HTTP behind an https:// URL. One line each, exact exit codes, never an exception or stack trace.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class ProbeFailureTests
{
    [Test]
    public async Task ClosedPort_PluginCriticalAndContainerFail()
    {
        var port = FreeTcpPort.Next();
        var url = $"http://127.0.0.1:{port}/healthz/status";

        var monitoring = await ProbeProcess.RunAsync("--plugin", url);
        var container = await ProbeProcess.RunAsync(url);

        Assert.That(monitoring.ExitCode, Is.EqualTo(2), monitoring.ToString());
        Assert.That(monitoring.Line, Is.EqualTo($"HEALTHENDPOINT CRITICAL - cannot connect to 127.0.0.1:{port}: connection refused"));
        Assert.That(container.ExitCode, Is.EqualTo(1), container.ToString());
        Assert.That(container.Line, Is.EqualTo($"FAIL cannot connect to 127.0.0.1:{port}: connection refused"));
    }

    [Test]
    public async Task MalformedUrl_PluginUnknownAndContainerExitOne()
    {
        var monitoring = await ProbeProcess.RunAsync("--plugin", "http//127.0.0.1:8080/healthz/status");
        var container = await ProbeProcess.RunAsync("http//127.0.0.1:8080/healthz/status");

        Assert.That(monitoring.ExitCode, Is.EqualTo(3), monitoring.ToString());
        Assert.That(monitoring.Line, Is.EqualTo("HEALTHENDPOINT UNKNOWN - invalid URL 'http//127.0.0.1:8080/healthz/status': expected an absolute http:// or https:// URL"));
        Assert.That(container.ExitCode, Is.EqualTo(1), container.ToString());
        Assert.That(container.Line, Is.EqualTo("UNKNOWN invalid URL 'http//127.0.0.1:8080/healthz/status': expected an absolute http:// or https:// URL"));
    }

    [TestCase("--timeout", "soon", 3, "HEALTHENDPOINT UNKNOWN - invalid --timeout 'soon': use a positive duration up to 1 hour like 2s, 1.5s or 500ms")]
    [TestCase("--expect", "ok", 3, "HEALTHENDPOINT UNKNOWN - invalid --expect 'ok': use status codes and classes like 2xx or 200,204")]
    [TestCase("--insecure", null, 3, "HEALTHENDPOINT UNKNOWN - unknown option '--insecure' (see --help)")]
    public async Task BadOption_PluginUnknown(string option, string? value, int exitCode, string line)
    {
        var run = value is null
            ? await ProbeProcess.RunAsync("--plugin", "http://127.0.0.1:1/", option)
            : await ProbeProcess.RunAsync("--plugin", "http://127.0.0.1:1/", option, value);

        Assert.That(run.ExitCode, Is.EqualTo(exitCode), run.ToString());
        Assert.That(run.Line, Is.EqualTo(line));
    }

    [Test]
    public async Task HtmlPageOnStatusUrl_PluginUnknownButContainerOk()
    {
        await using var stub = LoopbackHttpStub.Answering("200 OK", "text/html; charset=utf-8", "<html><body>Please log in</body></html>");
        var url = $"http://127.0.0.1:{stub.Port}/healthz/status";

        var monitoring = await ProbeProcess.RunAsync("--plugin", url);
        var container = await ProbeProcess.RunAsync(url);

        Assert.That(monitoring.ExitCode, Is.EqualTo(3), monitoring.ToString());
        Assert.That(monitoring.Line, Does.Match(
            @"^HEALTHENDPOINT UNKNOWN - 200 in \d+ ms, unexpected Content-Type text/html \(expected application/json or text/plain\) \| 'time'=\d+\.\d{3}s;;;0$"));
        Assert.That(container.ExitCode, Is.Zero, "container mode judges the status code only: " + container);
    }

    [Test]
    public async Task InvalidJsonOnStatusUrl_PluginUnknown()
    {
        await using var stub = LoopbackHttpStub.Answering("200 OK", "application/json", "{\"status\":");

        var run = await ProbeProcess.RunAsync("--plugin", $"http://127.0.0.1:{stub.Port}/healthz/status");

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Line, Does.Match(@"^HEALTHENDPOINT UNKNOWN - 200 in \d+ ms, unexpected status body: not valid JSON \| 'time'=\d+\.\d{3}s;;;0$"));
    }

    [Test]
    public async Task ServerAcceptsButNeverAnswers_CriticalWithinTheTimeout()
    {
        await using var stub = LoopbackHttpStub.Silent();
        var url = $"http://127.0.0.1:{stub.Port}/healthz/status";

        var monitoring = await ProbeProcess.RunAsync("--plugin", "--timeout", "1s", url);
        var container = await ProbeProcess.RunAsync("--timeout", "500ms", url);

        Assert.That(stub.Accepted, Is.EqualTo(2), "both probes connected");
        Assert.That(monitoring.ExitCode, Is.EqualTo(2), monitoring.ToString());
        Assert.That(monitoring.Line, Is.EqualTo($"HEALTHENDPOINT CRITICAL - timeout: no response from 127.0.0.1:{stub.Port} within 1 s"));
        Assert.That(container.ExitCode, Is.EqualTo(1), container.ToString());
        Assert.That(container.Line, Is.EqualTo($"FAIL timeout: no response from 127.0.0.1:{stub.Port} within 500 ms"));

        // The process's whole life: runtime start-up (well under a second on a quiet machine, more on a busy one) plus
        // the timeout; the bound only has to tell the timeout from HttpClient's 100 s default.
        Assert.That(monitoring.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)).And.LessThan(TimeSpan.FromSeconds(1 + 5)));
        Assert.That(container.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(500)).And.LessThan(TimeSpan.FromSeconds(0.5 + 5)));
    }

    [Test]
    public async Task UntrustedCertificate_PluginCriticalAndContainerFailNamingTheCertificate()
    {
        await using var server = new LoopbackTlsStub();

        await AssertNoResponseAsync(server.Port, "the server certificate is not trusted");
        Assert.That(server.Accepted, Is.EqualTo(2), "both probes connected");
    }

    [Test]
    public async Task PlainHttpServerOnHttpsUrl_PluginCriticalAndContainerFailNamingTls()
    {
        await using var stub = LoopbackHttpStub.Answering("400 Bad Request", "text/plain", "bad request");

        await AssertNoResponseAsync(stub.Port, "the server did not answer with TLS (plain HTTP on an https:// URL?)");
        Assert.That(stub.Accepted, Is.EqualTo(2), "both probes connected");
    }

    [TestCase("--help")]
    [TestCase("--version")]
    public async Task HelpAndVersion_ExitZeroEndingWithTheVersion(string option)
    {
        var run = await ProbeProcess.RunAsync(option, "--plugin");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.StandardOutput.TrimEnd('\n'), Does.Match(@"(^|\n)healthendpoint-probe \d+\.\d+\.\d+$"));
        Assert.That(run.StandardOutput, option == "--help" ? Does.StartWith("Usage: healthendpoint-probe <url> [options]") : Does.Not.Contain("Usage"));
    }

    // Both modes against https://127.0.0.1:port/healthz/status: CRITICAL (2) and FAIL (1), one line naming the TLS
    // failure, and no exception type or stack trace anywhere in the output.
    private static async Task AssertNoResponseAsync(int port, string tlsReason)
    {
        var url = $"https://127.0.0.1:{port}/healthz/status";
        var reason = $"TLS handshake with 127.0.0.1:{port} failed: {tlsReason}";

        var monitoring = await ProbeProcess.RunAsync("--plugin", url);
        var container = await ProbeProcess.RunAsync(url);

        Assert.That(monitoring.ExitCode, Is.EqualTo(2), monitoring.ToString());
        Assert.That(monitoring.Line, Is.EqualTo("HEALTHENDPOINT CRITICAL - " + reason));
        Assert.That(container.ExitCode, Is.EqualTo(1), container.ToString());
        Assert.That(container.Line, Is.EqualTo("FAIL " + reason));
        foreach (var run in new[] { monitoring, container })
        {
            Assert.That(run.StandardOutput + run.StandardError, Does.Not.Contain("Exception").And.Not.Contain("   at "), run.ToString());
        }
    }
}
