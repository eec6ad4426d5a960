using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;

namespace LegacyApp.Tests.Hostile;

/// <summary>
/// Issue 10's hostile clients (items 1, 3, 5, 6, 7) against LegacyApp as a process, on each host. The Kestrel
/// host must survive and answer correctly; the HttpListener tests document its known limits by asserting the bad
/// behaviour measured today, so they fail (and the README must change) if HttpListener ever fixes it.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class HostileClientTests
{
    private const string Kestrel = "Kestrel";
    private const string HttpListener = "HttpListener";
    private static readonly TimeSpan HeaderTimeout = TimeSpan.FromSeconds(2);

    // Item 1. Kestrel refuses a request line over 8 KB with 414 and stays up.
    [Test]
    public async Task LongRequestTarget_KestrelClientNeverReads_ProcessSurvivesAndAnswers414()
    {
        await using var target = await HostileTarget.StartAsync(Kestrel);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await HostileClients.SendLongTargetWithoutReadingAsync(target.Port, TimeSpan.FromMilliseconds(300));
        }

        var answer = await RawHttp.ExchangeAsync(target.Port, "GET " + new string('<', 1024 * 1024) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", TimeSpan.FromSeconds(5));
        var ping = await RawHttp.GetAsync(target.Port, "/healthz/ping", TimeSpan.FromSeconds(3));
        TestContext.Out.WriteLine($"Kestrel: 3 non-reading clients sent 1 MB targets; a reading one got {RawHttp.Status(answer)}; alive {!target.HasExited}; ping {ping.Status}");

        Assert.That(target.HasExited, Is.False, target.Output);
        Assert.That(RawHttp.Status(answer), Is.EqualTo(414));
        Assert.That(ping.Status, Is.EqualTo(200));
    }

    // Item 1, documented limit: HttpListener echoes the target into a 400 page, closes the socket while writing it,
    // and the write callback's ObjectDisposedException aborts the process (exit 134).
    [Test]
    public async Task LongRequestTarget_HttpListenerClientNeverReads_ProcessAborts()
    {
        await using var target = await HostileTarget.StartAsync(HttpListener);
        var tries = 0;
        while (!target.HasExited && tries < 5)
        {
            tries++;
            await HostileClients.SendLongTargetWithoutReadingAsync(target.Port, TimeSpan.FromMilliseconds(300));
            await target.ExitsWithinAsync(TimeSpan.FromSeconds(1));
        }

        TestContext.Out.WriteLine($"HttpListener: exited {target.HasExited} (code {(target.HasExited ? target.ExitCode : 0)}) after {tries} non-reading client(s)");
        Assert.That(target.HasExited, Is.True, "the known limit is gone: update docs/hosting.md, Hostile clients");
        Assert.That(target.ExitCode, Is.EqualTo(134), target.Output);
    }

    // Item 3. Kestrel closes a header sent a byte every 500 ms at its header timeout (2 s here); HttpListener never does.
    [TestCase(Kestrel)]
    [TestCase(HttpListener)]
    public async Task SlowHeaderSender_Host_ClosedWithinHeaderTimeoutOnKestrelOnly(string server)
    {
        var settings = server == Kestrel ? new Dictionary<string, string> { ["Host__RequestHeadersTimeout"] = "00:00:02" } : null;
        await using var target = await HostileTarget.StartAsync(server, settings: settings);
        // Long enough that a busy machine cannot make Kestrel's close look like HttpListener's "never".
        var limit = HeaderTimeout + TimeSpan.FromSeconds(6);

        var open = await HostileClients.SlowHeaderOpenForAsync(target.Port, TimeSpan.FromMilliseconds(500), limit);

        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{server}: slow header sender (1 byte / 500 ms) kept open {open.TotalSeconds:0.0} s (header timeout {HeaderTimeout.TotalSeconds} s, test limit {limit.TotalSeconds} s)"));
        Assert.That(target.HasExited, Is.False, target.Output);
        if (server == Kestrel)
        {
            // Closed by Kestrel, not before its header timeout. How long after it (a 1 s heartbeat; 3.7 s measured
            // on a quiet machine, 4.0 s in a busy CI run) is a figure for the README, not a bound to assert here.
            Assert.That(open, Is.GreaterThanOrEqualTo(HeaderTimeout - TimeSpan.FromMilliseconds(100)).And.LessThan(limit));
        }
        else
        {
            Assert.That(open, Is.EqualTo(limit), "the known limit is gone: HttpListener closed a slow header sender");
        }
    }

    // Item 3. One header line streamed in 8 KB writes: Kestrel answers 431 after 32 KB; HttpListener buffers it all.
    [TestCase(Kestrel)]
    [TestCase(HttpListener)]
    public async Task StreamedHeaderLine_Host_RefusedBeforeOneMegabyteOnKestrelOnly(string server)
    {
        await using var target = await HostileTarget.StartAsync(server);
        var rssBefore = target.RssMegabytes;
        const long Total = 4L * 1024 * 1024;

        var (sent, answer) = await HostileClients.StreamHeaderLineAsync(target.Port, Total);
        var rssAfter = target.RssMegabytes;

        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{server}: header line streamed in 8 KB writes: {sent / 1024} KB of {Total / 1024} KB sent before the server refused or closed, answer {RawHttp.Status(answer)}, RSS {rssBefore:0} → {rssAfter:0} MB"));
        Assert.That(target.HasExited, Is.False, target.Output);
        if (server == Kestrel)
        {
            Assert.That(sent, Is.LessThan(1024 * 1024));
            Assert.That(RawHttp.Status(answer), Is.EqualTo(431));
            Assert.That(rssAfter - rssBefore, Is.LessThan(100));
        }
        else
        {
            Assert.That(sent, Is.EqualTo(Total), "the known limit is gone: HttpListener refused a streamed header line");
        }
    }

    // Item 5. A Host no prefix names: HttpListener answers 404 and then a stray 200; Kestrel answers once.
    [TestCase(Kestrel, 1)]
    [TestCase(HttpListener, 2)]
    public async Task UnknownHostHeader_Host_ResponsesOnTheConnection(string server, int expected)
    {
        await using var target = await HostileTarget.StartAsync(server);

        var answer = await RawHttp.ExchangeAsync(target.Port, "GET /healthz/ping HTTP/1.1\r\nHost: unknown.example\r\n\r\n", TimeSpan.FromSeconds(2));

        TestContext.Out.WriteLine($"{server}: one request with an unknown Host got {RawHttp.CountResponses(answer)} response(s): {string.Join(", ", answer.Split("\r\n").Where(line => line.StartsWith("HTTP/", StringComparison.Ordinal)))}");
        Assert.That(RawHttp.CountResponses(answer), Is.EqualTo(expected), answer);
        Assert.That(target.HasExited, Is.False, target.Output);
    }

    // Item 6. 100 pipelined pings in one write: Kestrel answers each; HttpListener answers the first only.
    [TestCase(Kestrel)]
    [TestCase(HttpListener)]
    public async Task HundredPipelinedPings_Host_AnswersCountedOnOneConnection(string server)
    {
        await using var target = await HostileTarget.StartAsync(server);
        var request = string.Concat(Enumerable.Repeat("GET /healthz/ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 99))
            + "GET /healthz/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

        var answer = await RawHttp.ExchangeAsync(target.Port, request, TimeSpan.FromSeconds(3));
        var answers = RawHttp.CountResponses(answer);

        TestContext.Out.WriteLine($"{server}: 100 pipelined pings got {answers} answer(s) within 3 s");
        Assert.That(target.HasExited, Is.False, target.Output);
        if (server == Kestrel)
        {
            Assert.That(answers, Is.EqualTo(100));
        }
        else
        {
            Assert.That(answers, Is.LessThan(100), "the known limit is gone: HttpListener answered every pipelined request");
        }
    }

    // Item 7. POST without a body to a health path: 405 with Allow on Kestrel; HttpListener answers its own 411
    // before the request reaches any OWIN code (HttpListenerRequest.FinishInitialization). With Content-Length: 0
    // both answer 405: the control that the health endpoint itself is right.
    [TestCase(Kestrel, "", 405)]
    [TestCase(Kestrel, "Content-Length: 0\r\n", 405)]
    [TestCase(HttpListener, "", 411)]
    [TestCase(HttpListener, "Content-Length: 0\r\n", 405)]
    public async Task PostWithoutBody_Host_Status(string server, string lengthHeader, int expected)
    {
        await using var target = await HostileTarget.StartAsync(server);

        var answer = await RawHttp.ExchangeAsync(target.Port, $"POST /healthz/status HTTP/1.1\r\nHost: 127.0.0.1\r\n{lengthHeader}Connection: close\r\n\r\n", TimeSpan.FromSeconds(3));

        TestContext.Out.WriteLine($"{server}: POST /healthz/status with '{lengthHeader.Trim()}' → {answer.Split("\r\n")[0]}");
        Assert.That(RawHttp.Status(answer), Is.EqualTo(expected), answer);
        if (expected == 405)
        {
            Assert.That(answer, Does.Contain("Allow: GET, HEAD"));
        }
        else
        {
            // What README's Endpoints section says beside the 405, checked against the answer itself.
            Assert.That(answer, Does.Contain("Content-Type: text/html").And.Contain("<h1>Length Required</h1>"));
            Assert.That(ReadmeTryItTests.Readme().ReplaceLineEndings(" "), Does.Contain("on the HttpListener host, a POST or PUT with neither `Content-Length` nor `Transfer-Encoding` gets `HttpListener`'s own HTML 411 first"));
        }
    }
}
