using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Tests.Conformance;

/// <summary>
/// The app learns that its client left: <c>owin.CallCancelled</c> fires within 1 s of the client closing or
/// resetting the connection while the app waits, and a write after a reset throws instead of sending a gigabyte
/// into nothing.
/// </summary>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class ClientGoneTests : HostFixture
{
    private static readonly TimeSpan FireBound = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    public ClientGoneTests(HostKind host)
        : base(host)
    {
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task WaitingApp_ClientClosesOrResets_CallCancelledFiresWithinOneSecond(bool reset)
    {
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fired = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new Stopwatch();
        await using var server = await StartAsync(async environment =>
        {
            var token = (CancellationToken)environment["owin.CallCancelled"];
            using var registration = token.Register(() => fired.TrySetResult(clock.Elapsed));
            waiting.TrySetResult();
            await Task.WhenAny(fired.Task, Task.Delay(WaitLimit));
        });

        var connection = await server.ConnectAsync();
        await connection.SendAsync(server.Request("GET", "/wait"));
        await waiting.Task.WaitAsync(WaitLimit);
        clock.Start();
        if (reset)
        {
            connection.Abort();
        }
        else
        {
            connection.Dispose();
        }

        var done = await Task.WhenAny(fired.Task, Task.Delay(WaitLimit)) == fired.Task;
        TestContext.Progress.WriteLine($"{Host}: client {(reset ? "reset" : "closed")} the connection; owin.CallCancelled {(done ? $"fired after {fired.Task.Result.TotalMilliseconds:0} ms" : $"had not fired after {WaitLimit.TotalSeconds:0} s")}");
        Assert.That(done ? fired.Task.Result : WaitLimit, Is.LessThanOrEqualTo(FireBound));
    }

    [Test]
    public async Task StreamingApp_ClientResets_WriteThrowsAndTokenFires()
    {
        const long Gigabyte = 1L << 30;
        var chunk = new byte[64 * 1024];
        var result = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await StartAsync(async environment =>
        {
            var token = (CancellationToken)environment["owin.CallCancelled"];
            var body = ScenarioApp.ResponseBody(environment);
            long written = 0;
            try
            {
                while (written < Gigabyte)
                {
                    // An app producing a gigabyte reads it from somewhere and yields between writes. A loop whose
                    // writes all complete at once would also starve Kestrel's reset notification, which it queues
                    // to the thread pool, on a busy two-core machine.
                    await Task.Yield();
                    await body.WriteAsync(chunk);
                    written += chunk.Length;
                    if (written >= 4 * chunk.Length)
                    {
                        started.TrySetResult();
                    }
                }

                result.TrySetResult($"all {written} bytes written without an error; token cancelled: {token.IsCancellationRequested}");
            }
            catch (Exception exception)
            {
                result.TrySetResult($"threw {exception.GetType().Name} after {written} bytes; token cancelled: {token.IsCancellationRequested}");
                throw;
            }
        });

        var connection = await server.ConnectAsync();
        await connection.SendAsync(server.Request("GET", "/gigabyte"));
        await started.Task.WaitAsync(WaitLimit);
        connection.Abort();

        var outcome = await result.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var errors = await ServerLog.ErrorsAsync(server, expected: 1);
        TestContext.Progress.WriteLine($"{Host}: client reset during a 1 GiB response: the app {outcome}; log: {ServerLog.Describe(server.Logs.Entries)}");
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Does.StartWith("threw"));
            Assert.That(outcome, Does.EndWith("token cancelled: True"));
            Assert.That(errors, Is.Empty, "the client's leaving is not the app's failure");
        });
    }
}
