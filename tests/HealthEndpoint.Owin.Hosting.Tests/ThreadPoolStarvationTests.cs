using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>
/// A known limit, measured: an app that blocks thread-pool threads (<c>Thread.Sleep</c> in 200 requests) delays
/// ping on both hosts, because the host, the health endpoint and the app share the process's thread pool, which adds
/// threads only slowly. The figure is printed (and quoted in docs/hosting.md, "Known limits"); the test asserts what
/// does hold: every ping is answered, and ping is fast again once the blocking requests are over.
/// </summary>
/// <remarks>
/// The client side runs on a thread of its own with blocking sockets, so that the starved pool delays only the
/// server, as it would in a real deployment where the probe is another process.
/// </remarks>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class ThreadPoolStarvationTests : HostFixture
{
    private const int BlockingRequests = 200;
    private static readonly TimeSpan BlockFor = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(60);
    private static readonly byte[] Pong = Encoding.ASCII.GetBytes("pong");

    public ThreadPoolStarvationTests(HostKind host)
        : base(host)
    {
    }

    [Test]
    public async Task AppBlocksPoolThreads_PingDelayedThenRecovers_Measured()
    {
        var finished = 0;
        await using var server = await StartAsync(environment =>
        {
            if ((string)environment["owin.RequestPath"] == "/block")
            {
                Thread.Sleep(BlockFor);
                Interlocked.Increment(ref finished);
            }

            return ScenarioApp.ResponseBody(environment).WriteAsync(Pong).AsTask();
        });

        var run = await OnOwnThread(() => Measure(server.Port, () => Volatile.Read(ref finished)));

        TestContext.Progress.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{Host}: {BlockingRequests} requests blocking {BlockFor.TotalSeconds:0} s each ended after {run.BlockersDone.TotalSeconds:0.0} s; ping before {run.Before.TotalMilliseconds:0} ms, while they ran up to {run.WorstDuring.TotalSeconds:0.0} s ({run.PingsDuring} pings), after {run.WorstAfter.TotalMilliseconds:0} ms"));
        Assert.Multiple(() =>
        {
            Assert.That(run.Unanswered, Is.Zero, "pings that got no pong");
            Assert.That(finished, Is.EqualTo(BlockingRequests), "every blocking request ran");
            Assert.That(run.WorstAfter, Is.LessThan(TimeSpan.FromSeconds(1)), "ping once the blocking requests are over");
        });
    }

    private static Run Measure(int port, Func<int> finished)
    {
        var before = Ping(port);
        var blockers = new List<Socket>();
        var started = Stopwatch.StartNew();
        try
        {
            for (var i = 0; i < BlockingRequests; i++)
            {
                var socket = Connect(port);
                socket.Send(Encoding.ASCII.GetBytes($"GET /block HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"));
                blockers.Add(socket);
            }

            var during = new List<TimeSpan?>();
            while (finished() < BlockingRequests && started.Elapsed < PingTimeout)
            {
                during.Add(Ping(port));
                Thread.Sleep(100);
            }

            var blockersDone = started.Elapsed;
            var after = Enumerable.Range(0, 5).Select(_ => Ping(port)).ToList();
            var all = during.Concat(after).Append(before).ToList();
            return new Run(
                before ?? PingTimeout,
                during.Count,
                during.Max(latency => latency ?? PingTimeout),
                after.Max(latency => latency ?? PingTimeout),
                blockersDone,
                all.Count(latency => latency is null));
        }
        finally
        {
            foreach (var socket in blockers)
            {
                socket.Dispose();
            }
        }
    }

    // One GET /ping on a new connection with blocking calls; the time to the pong, or null without one.
    private static TimeSpan? Ping(int port)
    {
        var elapsed = Stopwatch.StartNew();
        using var socket = Connect(port);
        socket.Send(Encoding.ASCII.GetBytes($"GET /ping HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"));
        var received = new StringBuilder();
        var buffer = new byte[1024];
        try
        {
            int read;
            while ((read = socket.Receive(buffer)) > 0)
            {
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (SocketException)
        {
            return null;
        }

        return received.ToString().EndsWith("pong", StringComparison.Ordinal) ? elapsed.Elapsed : null;
    }

    private static Socket Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            ReceiveTimeout = (int)PingTimeout.TotalMilliseconds,
        };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    private static Task<T> OnOwnThread<T>(Func<T> work)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                result.SetResult(work());
            }
            catch (Exception exception)
            {
                result.SetException(exception);
            }
        })
        { IsBackground = true, Name = "starvation client" };
        thread.Start();
        return result.Task;
    }

    private sealed record Run(TimeSpan Before, int PingsDuring, TimeSpan WorstDuring, TimeSpan WorstAfter, TimeSpan BlockersDone, int Unanswered);
}
