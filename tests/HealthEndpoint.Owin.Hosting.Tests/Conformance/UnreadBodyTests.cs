using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Tests.Conformance;

/// <summary>
/// A response to a request whose body nobody reads still arrives: 2 MiB POSTs to a health path and to an app path
/// that answers without reading, 100 tries each, with and without <c>Expect: 100-continue</c>, from a raw socket that
/// sends the whole body before it reads and from curl, which reads while it sends. A host that closes the connection
/// with the body unread makes the client's kernel see a reset, which destroys the answer it has not read yet.
/// </summary>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class UnreadBodyTests : HostFixture
{
    private const int Tries = 100;
    private const int BodyLength = 2 * 1024 * 1024;
    private const int Parallel = 4;

    private static readonly byte[] Body = new byte[BodyLength];

    public UnreadBodyTests(HostKind host)
        : base(host)
    {
    }

    [TestCase("/healthz/status", true)]
    [TestCase("/healthz/status", false)]
    [TestCase("/ignores-body", true)]
    [TestCase("/ignores-body", false)]
    public async Task TwoMebibytePost_RawSocketSendsAllThenReads_EveryAnswerArrives(string path, bool expectContinue)
    {
        await using var server = await StartAsync(ScenarioApp.Create());
        var outcomes = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Parallel).Select(async worker =>
        {
            for (var i = worker; i < Tries; i += Parallel)
            {
                outcomes.Add(await SendAllThenReadAsync(server, path, expectContinue));
            }
        }));

        var summary = Summarize(outcomes);
        TestContext.Progress.WriteLine($"{Host}: raw socket, POST {path} 2 MiB, Expect: 100-continue {expectContinue}: {summary} in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.That(outcomes.Where(outcome => !outcome.StartsWith("HTTP/1.1 ", StringComparison.Ordinal)), Is.Empty, summary);
    }

    [TestCase("/healthz/status", true)]
    [TestCase("/healthz/status", false)]
    [TestCase("/ignores-body", true)]
    [TestCase("/ignores-body", false)]
    public async Task TwoMebibytePost_CurlReadsWhileSending_EveryAnswerArrives(string path, bool expectContinue)
    {
        await using var server = await StartAsync(ScenarioApp.Create());
        var file = Path.Combine(Path.GetTempPath(), $"unread-body-{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(file, Body);
        try
        {
            var clock = Stopwatch.StartNew();
            var perProcess = Tries / Parallel;
            var runs = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => CurlAsync(server.Port, path, expectContinue, file, perProcess)));
            var codes = runs.SelectMany(run => run.Codes).ToArray();
            var summary = Summarize(codes);
            TestContext.Progress.WriteLine($"{Host}: curl, POST {path} 2 MiB, Expect: 100-continue {expectContinue}: status codes {summary} in {clock.Elapsed.TotalSeconds:0.0} s");
            TestContext.Progress.WriteLine($"{Host}: curl's first run said: {runs[0].Errors.Split('\n').FirstOrDefault(line => line.Length > 0) ?? "(nothing)"}");
            Assert.Multiple(() =>
            {
                Assert.That(codes, Has.Length.EqualTo(Tries), "curl transfers");
                Assert.That(codes, Has.None.EqualTo("000"), $"transfers without an answer (curl's code 000): {summary}");
            });
        }
        finally
        {
            File.Delete(file);
        }
    }

    // Sends the head and the whole body before reading anything, then reads past an interim 100 Continue.
    private static async Task<string> SendAllThenReadAsync(TestServer server, string path, bool expectContinue)
    {
        try
        {
            using var connection = await server.ConnectAsync();
            var headers = new List<string> { "Content-Length: " + BodyLength.ToString(CultureInfo.InvariantCulture) };
            if (expectContinue)
            {
                headers.Add("Expect: 100-continue");
            }

            await connection.SendAsync(server.Request("POST", path, [.. headers]));
            await connection.SendAsync(Body);
            var response = await connection.ReadResponseAsync();
            while (response.StatusCode == 100)
            {
                response = await connection.ReadResponseAsync();
            }

            return response.StatusLine;
        }
        catch (Exception exception) when (exception is IOException or SocketException or TimeoutException or OperationCanceledException or FormatException)
        {
            return exception.GetType().Name + ": " + exception.Message;
        }
    }

    // One curl process, `count` transfers on fresh connections; returns each transfer's status code (000: no answer).
    private static async Task<(string[] Codes, string Errors)> CurlAsync(int port, string path, bool expectContinue, string file, int count)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--silent", "--show-error", "--max-time", "20", "--output", "/dev/null", "--write-out", "%{http_code}\\n" })
        {
            start.ArgumentList.Add(argument);
        }

        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                start.ArgumentList.Add("--next");
                foreach (var argument in new[] { "--silent", "--show-error", "--max-time", "20", "--output", "/dev/null", "--write-out", "%{http_code}\\n" })
                {
                    start.ArgumentList.Add(argument);
                }
            }

            start.ArgumentList.Add("--header");
            start.ArgumentList.Add(expectContinue ? "Expect: 100-continue" : "Expect:");
            start.ArgumentList.Add("--data-binary");
            start.ArgumentList.Add("@" + file);
            start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}{path}?try={i}"));
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("curl did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return ((await output).Split('\n', StringSplitOptions.RemoveEmptyEntries), await errors);
    }

    private static string Summarize(IEnumerable<string> outcomes) =>
        string.Join(", ", outcomes.GroupBy(outcome => outcome).OrderByDescending(group => group.Count()).Select(group => $"{group.Count()} x '{group.Key}'"));
}
