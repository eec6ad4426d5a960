using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace LegacyApp.Tests.Hostile;

/// <summary>
/// Issue 10, item 4: with PostgreSQL frozen, 1,100 <c>GET /</c> hang on the database. The app's own bound
/// (<c>App:MaxConcurrentRequests</c>, 512 by default) takes 512 of them and answers the rest 503 at once; ping and
/// status, answered before that bound, keep answering within 1 s, on both hosts.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class FrozenDatabaseTests
{
    private const int AppRequests = 1100;
    private const int Bound = 512;
    private static readonly TimeSpan HealthBound = TimeSpan.FromSeconds(1);

    private PostgresServer _postgres = null!;

    [OneTimeSetUp]
    public async Task StartPostgresAsync() => _postgres = await PostgresServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopPostgresAsync()
    {
        _postgres.Thaw();
        await _postgres.DisposeAsync();
    }

    [TestCase("HttpListener")]
    [TestCase("Kestrel")]
    public async Task AppRequestsHangOnFrozenPostgres_Host_PingAndStatusAnswerWithinOneSecond(string server)
    {
        // CheckTimeout 0.5 s: status itself waits at most that for the frozen database; what is measured is
        // whether health requests wait behind the app's.
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Npgsql",
            ["Database__ConnectionString"] = _postgres.ConnectionString,
            ["HealthEndpoint__CheckTimeout"] = "00:00:00.500",
        };
        await using var target = await HostileTarget.StartAsync(server, settings: settings);
        var control = await RawHttp.GetAsync(target.Port, "/", TimeSpan.FromSeconds(10));
        Assert.That(control.Status, Is.EqualTo(200), "control: the home page reads the database");

        var sockets = new List<Socket>(AppRequests);
        var answers = new List<Task<int>>(AppRequests);
        using var stop = new CancellationTokenSource();
        _postgres.Freeze();
        try
        {
            for (var i = 0; i < AppRequests; i++)
            {
                var socket = await HostileClients.TryConnectAsync(target.Port) ?? throw new InvalidOperationException("connect failed");
                sockets.Add(socket);
                await socket.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), SocketFlags.None);
                answers.Add(ReadStatusAsync(socket, stop.Token));
            }

            // Saturated: everything beyond the bound has been answered 503, and the rest hang.
            await Poll.UntilAsync(() => Task.FromResult(answers.Count(task => task.IsCompleted) >= AppRequests - Bound), TimeSpan.FromSeconds(15), "the requests beyond the app's bound to be answered");
            var probes = new List<(string Path, int Status, TimeSpan Elapsed)>();
            for (var round = 0; round < 3; round++)
            {
                foreach (var path in new[] { "/healthz/ping", "/healthz/status" })
                {
                    var probe = await RawHttp.GetAsync(target.Port, path, TimeSpan.FromSeconds(5));
                    probes.Add((path, probe.Status, probe.Elapsed));
                }
            }

            var finished = answers.Where(task => task.IsCompleted).Select(task => task.Result).ToList();
            var hanging = AppRequests - finished.Count;
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{server}: {AppRequests} GET / with PostgreSQL frozen: {finished.Count(status => status == 503)} answered 503, {finished.Count(status => status != 503)} other, {hanging} hanging; probes: {string.Join(", ", probes.Select(probe => $"{probe.Path} {probe.Status} in {probe.Elapsed.TotalMilliseconds:0} ms"))}"));
            Assert.Multiple(() =>
            {
                Assert.That(hanging, Is.EqualTo(Bound), "control: the app's bound is full of requests stuck on the database");
                Assert.That(finished, Is.All.EqualTo(503));
                Assert.That(probes.Where(probe => probe.Path == "/healthz/ping").Select(probe => probe.Status), Is.All.EqualTo(200));
                Assert.That(probes.Where(probe => probe.Path == "/healthz/status").Select(probe => probe.Status), Is.All.EqualTo(503));
                Assert.That(probes.Select(probe => probe.Elapsed), Is.All.LessThan(HealthBound));
            });
        }
        finally
        {
            _postgres.Thaw();
            stop.Cancel();
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    private static async Task<int> ReadStatusAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        var text = new StringBuilder();
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
            {
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
                if (RawHttp.Status(text.ToString()) is var status and > 0)
                {
                    return status;
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        return 0;
    }
}
