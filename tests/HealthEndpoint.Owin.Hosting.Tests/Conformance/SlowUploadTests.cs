using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Tests.Conformance;

/// <summary>
/// Ping survives clients that choose how long a thread blocks: with an app that reads its request body
/// synchronously (as Katana apps do) and 150 clients uploading at about 400 B/s, ping is answered within 1 s
/// throughout the uploads and after them, and every upload is read whole.
/// </summary>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class SlowUploadTests : HostFixture
{
    private const int Uploaders = 150;
    private const int BodyLength = 4000;
    private const int PieceLength = 100;

    // 40 pieces of 100 bytes, one every 250 ms: 400 B/s for 10 s, above Kestrel's 240 B/s minimum data rate.
    private static readonly TimeSpan PieceInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ProbeAfterUploads = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ProbeLimit = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan PingBound = TimeSpan.FromSeconds(1);

    public SlowUploadTests(HostKind host)
        : base(host)
    {
    }

    [Test]
    public async Task SynchronousReader_150SlowUploaders_PingWithinOneSecondThroughoutAndAfter()
    {
        var (late, probes, outcomes) = await RunAsync(SynchronousReaderApp);

        Assert.Multiple(() =>
        {
            Assert.That(late, Is.Empty, $"pings over {PingBound.TotalSeconds:0} s or unanswered, of {probes} (first ten)");
            Assert.That(outcomes, Is.All.EqualTo("200 " + BodyLength.ToString(CultureInfo.InvariantCulture)), "uploads");
        });
    }

    [Test]
    public async Task AsynchronousReader_Control150SlowUploaders_PingWithinOneSecond()
    {
        // The control: the same load against an app that reads asynchronously; it shows that the prober, the
        // uploaders and the machine can meet the bound, so a failure above is the synchronous read's.
        var (late, probes, outcomes) = await RunAsync(AsynchronousReaderAppAsync);

        Assert.Multiple(() =>
        {
            Assert.That(late, Is.Empty, $"pings over {PingBound.TotalSeconds:0} s or unanswered, of {probes} (first ten)");
            Assert.That(outcomes, Is.All.EqualTo("200 " + BodyLength.ToString(CultureInfo.InvariantCulture)), "uploads");
        });
    }

    // Runs the uploaders and the prober; returns the late or failed pings (first ten), the ping count and each upload's outcome.
    private async Task<(string[] Late, int Probes, string[] Outcomes)> RunAsync(Func<IDictionary<string, object>, Task> app)
    {
        await using var server = await StartAsync(app);
        var clock = Stopwatch.StartNew();
        var uploads = Task.WhenAll(Enumerable.Range(0, Uploaders).Select(_ => UploadAsync(server.Port)));
        var probes = new List<Task<Probe>>();
        TimeSpan? uploadsEnded = null;
        for (var i = 0; ; i++)
        {
            // Latency counts from when the probe was due, so a prober held up by a starved process counts too. The
            // prober shares the server's thread pool; probes from dedicated threads with blocking sockets saw the same
            // freeze, so what it measures is the server's.
            var due = ProbeInterval * i;
            uploadsEnded ??= uploads.IsCompleted ? clock.Elapsed : null;
            if (due > ProbeLimit || (uploadsEnded is { } ended && due > ended + ProbeAfterUploads))
            {
                break;
            }

            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            probes.Add(ProbeAsync(server.Port, clock, due));
        }

        var results = await Task.WhenAll(probes);
        var outcomes = await uploads;

        var late = results.Where(probe => !probe.Answered || probe.Latency > PingBound).ToArray();
        var worst = results.Max(probe => probe.Latency);
        var perSecond = results.GroupBy(probe => (int)probe.Due.TotalSeconds).Select(group => group.Max(probe => probe.Latency).TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture));
        var uploadSummary = string.Join(", ", outcomes.GroupBy(outcome => outcome).Select(group => $"{group.Count()} x '{group.Key}'"));
        TestContext.Progress.WriteLine(
            $"{Host}: {results.Length} pings over {clock.Elapsed.TotalSeconds:0.0} s (uploads ended at {uploadsEnded?.TotalSeconds:0.0} s), "
            + $"max latency {worst.TotalMilliseconds:0} ms, {late.Length} over {PingBound.TotalSeconds:0} s or unanswered; uploads: {uploadSummary}; "
            + $"{ThreadPool.ThreadCount} pool threads at the end");
        TestContext.Progress.WriteLine($"{Host}: worst ping latency (ms) in each second: {string.Join(" ", perSecond)}");
        return (late.Select(probe => $"due {probe.Due.TotalSeconds:0.0} s: {probe.Latency.TotalMilliseconds:0} ms {probe.Failure}").Take(10).ToArray(), results.Length, outcomes);
    }

    // /ping is answered at once; anything else is read synchronously to its end and answered with the byte count.
    private static Task SynchronousReaderApp(IDictionary<string, object> environment)
    {
        byte[] answer;
        if (environment["owin.RequestPath"] is "/ping")
        {
            answer = Encoding.ASCII.GetBytes("pong");
        }
        else
        {
            var body = (Stream)environment["owin.RequestBody"];
            var buffer = new byte[1024];
            long total = 0;
            int read;
            while ((read = body.Read(buffer, 0, buffer.Length)) > 0)
            {
                total += read;
            }

            answer = Encoding.ASCII.GetBytes(total.ToString(CultureInfo.InvariantCulture));
        }

        return ScenarioApp.ResponseBody(environment).WriteAsync(answer).AsTask();
    }

    private static async Task AsynchronousReaderAppAsync(IDictionary<string, object> environment)
    {
        var received = new MemoryStream();
        await ((Stream)environment["owin.RequestBody"]).CopyToAsync(received);
        var answer = environment["owin.RequestPath"] is "/ping" ? "pong" : received.Length.ToString(CultureInfo.InvariantCulture);
        await ScenarioApp.ResponseBody(environment).WriteAsync(Encoding.ASCII.GetBytes(answer));
    }

    // One slow uploader; returns "200 4000" when the app got every byte, else what went wrong.
    private static async Task<string> UploadAsync(int port)
    {
        try
        {
            using var connection = await RawHttpConnection.OpenAsync(port);
            await connection.SendAsync(RawHttpConnection.Request("POST", "/upload", port, "Content-Length: " + BodyLength.ToString(CultureInfo.InvariantCulture)));
            var clock = Stopwatch.StartNew();
            var piece = Encoding.ASCII.GetBytes(new string('u', PieceLength));
            for (var i = 0; i < BodyLength / PieceLength; i++)
            {
                var due = PieceInterval * i;
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }

                await connection.SendAsync(piece);
            }

            var response = await connection.ReadResponseAsync();
            return $"{response.StatusCode} {response.BodyText}";
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException or FormatException)
        {
            return exception.GetType().Name;
        }
    }

    private static async Task<Probe> ProbeAsync(int port, Stopwatch clock, TimeSpan due)
    {
        try
        {
            using var connection = await RawHttpConnection.OpenAsync(port);
            await connection.SendAsync(RawHttpConnection.Request("GET", "/ping", port));
            var response = await connection.ReadResponseAsync();
            return new Probe(due, clock.Elapsed - due, response.BodyText == "pong", response.StatusLine);
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException or FormatException)
        {
            return new Probe(due, clock.Elapsed - due, Answered: false, exception.GetType().Name);
        }
    }

    private sealed record Probe(TimeSpan Due, TimeSpan Latency, bool Answered, string Failure);
}
