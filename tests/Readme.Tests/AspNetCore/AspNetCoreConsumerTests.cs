using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Readme.Tests.AspNetCore;

/// <summary>
/// tests/AspNetCoreConsumer, a fresh <c>WebApplication</c> app with only the packages HealthEndpoint.AspNetCore's README
/// names, built from artifacts/packages for net8.0 and for net10.0 outside the repository, and probed over real Kestrel
/// sockets against a real PostgreSQL and Redis: the core of the behaviour suite, no session from 1,000 probes (and the
/// control that makes them), and a SIGTERM during a status flood.
/// </summary>
[TestFixture("net8.0")]
[TestFixture("net10.0")]
[NonParallelizable]
public sealed class AspNetCoreConsumerTests
{
    private const string StatusOk = """{"checks":{"database":"ok","redis":"ok"},"status":"ok"}""";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _framework;
    private string _app = null!;
    private PostgresServer _postgres = null!;
    private RedisServer _redis = null!;

    public AspNetCoreConsumerTests(string framework) => _framework = framework;

    [OneTimeSetUp]
    public async Task BuildAndStartServers()
    {
        _app = Path.Combine(AspNetCoreConsumerBuild.Root, "bin", "Release", _framework, "AspNetCoreConsumer.dll");
        Assert.That(File.Exists(_app), Is.True, _app);
        _postgres = await PostgresServer.StartAsync();
        _redis = await RedisServer.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopServers()
    {
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Test]
    public void ConsumerProject_References_OnlyThePackagesTheReadmeNames()
    {
        var referenced = XDocument.Load(Path.Combine(Documents.RepositoryRoot, "tests", "AspNetCoreConsumer", "AspNetCoreConsumer.csproj"))
            .Descendants("PackageReference").Select(element => (string)element.Attribute("Include")!).Order(StringComparer.Ordinal);
        var readme = Path.Combine(Documents.RepositoryRoot, "src", "HealthEndpoint.AspNetCore", "README.md");
        var quickStart = Documents.Blocks(readme).First(block => block.IsAspNetCore);

        Assert.That(referenced, Is.EqualTo(Documents.NamedPackages(quickStart).Select(package => package.Id).Order(StringComparer.Ordinal)));
    }

    [Test]
    public async Task Probes_TheBehaviourSuitesCore_AnsweredAsByTheOwinMiddleware()
    {
        await using var app = await StartAsync();
        using var client = NewClient(app.Port);
        var cases = new (string Method, string Target, string? Accept, int Status, string ContentType, string Body)[]
        {
            ("GET", "/healthz/ping", null, 200, "text/plain; charset=utf-8", "pong"),
            ("HEAD", "/healthz/ping", null, 200, "text/plain; charset=utf-8", ""),
            ("GET", "/healthz/status", null, 200, "application/json", StatusOk),
            ("HEAD", "/healthz/status", null, 200, "application/json", ""),
            ("GET", "/healthz/status/redis", null, 200, "application/json", """{"checks":{"redis":"ok"},"status":"ok"}"""),
            ("GET", "/healthz/status?exclude=redis", null, 200, "application/json", """{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}"""),
            ("GET", "/livez", null, 200, "text/plain; charset=utf-8", "ok"),
            ("GET", "/readyz", null, 200, "text/plain; charset=utf-8", "ok"),
            ("GET", "/startupz", null, 200, "text/plain; charset=utf-8", "ok"),
            ("GET", "/healthz/status", "application/health+json", 200, "application/health+json", "*"),
            ("POST", "/healthz/status", null, 405, "", ""),
            ("GET", "/healthz/status/nosuchcheck", null, 404, "", ""),
        };

        foreach (var (method, target, accept, status, contentType, body) in cases)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), target);
            if (accept is not null)
            {
                request.Headers.Add("Accept", accept);
            }

            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            TestContext.Out.WriteLine($"{_framework} {method} {target} -> {(int)response.StatusCode} [{response.Content.Headers.ContentType}] {text}");
            Assert.Multiple(() =>
            {
                Assert.That((int)response.StatusCode, Is.EqualTo(status), target);
                Assert.That(response.Content.Headers.ContentType?.ToString() ?? string.Empty, Is.EqualTo(contentType), target);
                Assert.That(text, body == "*" ? Does.Contain("\"status\":\"pass\"") : Is.EqualTo(body), target);
                Assert.That(response.Headers.CacheControl?.ToString(), Is.EqualTo("no-store, no-cache"), target);
                Assert.That(response.Headers.Contains("Set-Cookie"), Is.False, target);
                Assert.That(string.Join(", ", response.Content.Headers.Allow), Is.EqualTo(status == 405 ? "GET, HEAD" : string.Empty), target);
            });
        }
    }

    [Test]
    public async Task Probes_PostgresFrozen_StatusFailsWithinTheDeadline()
    {
        await using var app = await StartAsync();
        using var client = NewClient(app.Port);
        Assert.That(await client.GetStringAsync("/healthz/status"), Is.EqualTo(StatusOk));

        _postgres.Freeze();
        try
        {
            // Past the reuse of the last good run, so that the next request starts a run against the frozen server.
            await Task.Delay(TimeSpan.FromSeconds(1.2));
            var started = Stopwatch.StartNew();
            using var response = await client.GetAsync("/healthz/status");
            var body = await response.Content.ReadAsStringAsync();
            TestContext.Out.WriteLine($"{_framework}: PostgreSQL frozen: {(int)response.StatusCode} {body} in {started.ElapsedMilliseconds} ms");

            Assert.Multiple(() =>
            {
                Assert.That(((int)response.StatusCode, body), Is.EqualTo((503, """{"checks":{"database":"fail","redis":"ok"},"status":"fail"}""")));
                Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(1)), "CheckTimeout (2 s) and a margin");
            });
        }
        finally
        {
            _postgres.Thaw();
        }
    }

    [TestCase("HealthFirst", 0)]
    [TestCase("SessionFirst", 1_000)]
    public async Task Probes_1000_SessionsCreatedOnlyWhenTheEndpointSitsAfterTheSession(string pipeline, int expectedSessions)
    {
        await using var app = await StartAsync(("Pipeline", pipeline));
        using var client = NewClient(app.Port);

        // The readiness polls of StartAsync went through the control's session middleware too: count from here.
        var before = int.Parse(await client.GetStringAsync("/app/sessions"), CultureInfo.InvariantCulture);
        var cookies = 0;
        await Parallel.ForAsync(0, 1_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
        {
            using var response = await client.GetAsync(i % 2 == 0 ? "/healthz/ping" : "/healthz/status", token);
            if (response.Headers.Contains("Set-Cookie"))
            {
                Interlocked.Increment(ref cookies);
            }
        });
        var sessions = int.Parse(await client.GetStringAsync("/app/sessions"), CultureInfo.InvariantCulture) - before;
        TestContext.Out.WriteLine($"{_framework} {pipeline}: 1,000 probes -> {sessions} sessions, {cookies} Set-Cookie");

        Assert.Multiple(() =>
        {
            Assert.That(sessions, Is.EqualTo(expectedSessions));
            Assert.That(cookies, Is.EqualTo(expectedSessions));
        });
    }

    [Test]
    public async Task Sigterm_DuringStatusFlood_503ShutdownThenCleanExit()
    {
        await using var app = await StartAsync(("DrainSeconds", "2"));
        using var client = NewClient(app.Port);
        var outcomes = new ConcurrentQueue<(long SentAt, long ReceivedAt, int Status, string Body, Exception? Error)>();
        var clock = Stopwatch.StartNew();
        long sigtermAt = 0;
        using var stop = new CancellationTokenSource();

        async Task FloodAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var sentAt = clock.ElapsedTicks;
                try
                {
                    using var response = await client.GetAsync("/healthz/status");
                    var body = await response.Content.ReadAsStringAsync();
                    outcomes.Enqueue((sentAt, clock.ElapsedTicks, (int)response.StatusCode, body, null));
                }
                catch (HttpRequestException error)
                {
                    outcomes.Enqueue((sentAt, clock.ElapsedTicks, 0, string.Empty, error));
                    if (error.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
                    {
                        return;
                    }
                }
            }
        }

        var flood = Enumerable.Range(0, 16).Select(_ => Task.Run(FloodAsync)).ToArray();
        await Task.Delay(500);
        sigtermAt = clock.ElapsedTicks;
        Assert.That(PosixSignal.TrySend(app.Id, PosixSignal.Terminate), Is.True);
        var exited = await app.Process.TryWaitForExitAsync(TimeSpan.FromSeconds(20));
        await stop.CancelAsync();
        await Task.WhenAll(flood);

        var all = outcomes.OrderBy(outcome => outcome.SentAt).ToList();
        var listenerClosed = all.Where(outcome => outcome.Error?.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            .Select(outcome => outcome.SentAt).DefaultIfEmpty(long.MaxValue).Min();
        // Requests on 16 connections overtake each other on their way in, so "after" is causal: sent once a 503 had
        // come back, that is once the server was certainly draining.
        var firstShutdownReceived = all.Where(outcome => outcome.Status == 503).Select(outcome => outcome.ReceivedAt).DefaultIfEmpty(long.MaxValue).Min();
        var beforeClose = all.Where(outcome => outcome.SentAt < listenerClosed).ToList();
        var errors = beforeClose.Where(outcome => outcome.Error is not null).ToList();
        var okAfterShutdown = all.Count(outcome => outcome.Status == 200 && outcome.SentAt > firstShutdownReceived);
        TestContext.Out.WriteLine(
            $"{_framework}: {all.Count(o => o.Status == 200)} x 200 then {all.Count(o => o.Status == 503)} x 503 {all.FirstOrDefault(o => o.Status == 503).Body}, " +
            $"{okAfterShutdown} x 200 sent after a 503 came back, {errors.Count} connection errors before the listener closed, {all.Count(o => o.Error is not null)} errors in all; exit {(exited ? app.Process.ExitCode : -1)}");
        foreach (var error in errors.Take(3))
        {
            TestContext.Out.WriteLine(error.Error);
        }

        Assert.Multiple(() =>
        {
            Assert.That(all.Count(outcome => outcome.Status == 200 && outcome.SentAt < sigtermAt), Is.Positive, "200s before the SIGTERM");
            Assert.That(all.Where(outcome => outcome.Status == 503).Select(outcome => outcome.Body), Is.Not.Empty.And.All.EqualTo("""{"checks":{"shutdown":"fail"},"status":"fail"}"""));
            Assert.That(okAfterShutdown, Is.Zero, "200s sent after a 503 had come back");
            Assert.That(errors, Is.Empty, "connection errors on requests sent before the listener closed");
            Assert.That(exited, Is.True, app.Process.Output);
            Assert.That(app.Process.ExitCode, Is.EqualTo(0), app.Process.Output);
        });
    }

    private static HttpClient NewClient(int port) =>
        new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };

    private async Task<RunningApp> StartAsync(params (string Key, string Value)[] settings)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeTcpPort.Next();
            var arguments = new List<string> { _app, "--urls", $"http://127.0.0.1:{port}", "--ConnectionStrings:Postgres", _postgres.ConnectionString, "--ConnectionStrings:Redis", _redis.Configuration };
            foreach (var (key, value) in settings)
            {
                arguments.AddRange(["--" + key, value]);
            }

            var command = new ProgramCommand("dotnet", arguments);

            // Only runtime 10 is installed here: a net8.0 app runs on it as it would after a runtime update.
            command.Environment["DOTNET_ROLL_FORWARD"] = "Major";
            var process = ProgramProcess.Start(command);
            await Poll.UntilAsync(async () => process.HasExited || await AcceptsAsync(port), StartTimeout, $"the {_framework} app to listen");
            if (!process.HasExited)
            {
                // Ready as a readiness probe sees it: the first check run opens the first connections, which on a
                // loaded machine can take longer than CheckTimeout.
                await Poll.UntilAsync(async () => process.HasExited || await IsReadyAsync(port), StartTimeout, $"the {_framework} app's /readyz to answer 200");
                return new RunningApp(process, port);
            }

            var output = process.Output;
            await process.DisposeAsync();
            Assert.That(attempt, Is.LessThan(3), output);
        }
    }

    private static async Task<bool> IsReadyAsync(int port)
    {
        using var client = NewClient(port);
        using var response = await client.GetAsync("/readyz");
        return response.IsSuccessStatusCode;
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private sealed record RunningApp(ProgramProcess Process, int Port) : IAsyncDisposable
    {
        public int Id => Process.Id;

        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }
}
