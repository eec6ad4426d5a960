using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Hosting.Core;

namespace HealthEndpoint.Owin.Hosting.Tests.Conformance;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// Each request is sealed off from the next one on its connection: once the app's task completed, a write to the
/// <c>owin.ResponseBody</c> it was given or a read of its <c>owin.RequestBody</c> throws
/// <see cref="ObjectDisposedException"/>, and a change to its <c>owin.ResponseHeaders</c> reaches no later response;
/// the next request's app reads its own body whole. The same actions during the request are seen (the control).
/// </summary>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class RequestIsolationTests : HostFixture
{
    private const string SecondBody = "second-body";
    private const string FirstBody = "first-body";
    private static readonly byte[] LateBytes = Encoding.ASCII.GetBytes("late-bytes");
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    public RequestIsolationTests(HostKind host)
        : base(host)
    {
    }

    [Test]
    public async Task LateHeaderChange_AfterRequestCompleted_NeverReachesTheNextResponse()
    {
        var (second, late) = await RunLateActionAsync(environment =>
        {
            ScenarioApp.ResponseHeaders(environment)["X-Late"] = ["from-request-1"];
            return Task.FromResult(string.Empty);
        });

        TestContext.Progress.WriteLine($"{Host}: late header change {Outcome(late)}; request 2 got: {second}");
        Assert.Multiple(() =>
        {
            Assert.That(second.First?.Values("X-Late"), Is.Empty, $"request 1's late header in response 2: {second}");
            AssertSecondResponseIsItsOwn(second);
        });
    }

    [Test]
    public async Task LateBodyWrite_AfterRequestCompleted_ThrowsObjectDisposedAndNothingReachesTheNextResponse()
    {
        var (second, late) = await RunLateActionAsync(async environment =>
        {
            var body = ScenarioApp.ResponseBody(environment);
            await body.WriteAsync(LateBytes);
            await body.FlushAsync();
            return string.Empty;
        });

        TestContext.Progress.WriteLine($"{Host}: late body write {Outcome(late)}; request 2 got: {second}");
        Assert.Multiple(() =>
        {
            Assert.That(late, Is.InstanceOf<ObjectDisposedException>(), "the late write");
            AssertSecondResponseIsItsOwn(second);
        });
    }

    [Test]
    public async Task LateBodyRead_AfterRequestCompleted_ThrowsObjectDisposedAndTheNextAppReadsItsWholeBody()
    {
        var (second, late) = await RunLateActionAsync(async environment =>
        {
            var buffer = new byte[64];
            var read = await ((Stream)environment["owin.RequestBody"]).ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read);
        });

        TestContext.Progress.WriteLine($"{Host}: late body read {Outcome(late)}; request 2 got: {second}");
        Assert.Multiple(() =>
        {
            Assert.That(late, Is.InstanceOf<ObjectDisposedException>(), "the late read of request 1's body");
            AssertSecondResponseIsItsOwn(second);
        });
    }

    [Test]
    public async Task LateActions_ControlDuringTheRequest_SeenInThatResponse()
    {
        var app = new TwoRequestApp { HoldFirst = true };
        await using var server = await StartAsync(app.InvokeAsync);
        using var connection = await server.ConnectAsync();

        await connection.SendAsync(server.Request("POST", "/first", "Content-Length: 10") + FirstBody);
        var environment = await app.First.Task.WaitAsync(Wait);
        ScenarioApp.ResponseHeaders(environment)["X-Late"] = ["from-request-1"];
        var read = new MemoryStream();
        await ((Stream)environment["owin.RequestBody"]).CopyToAsync(read);
        await ScenarioApp.ResponseBody(environment).WriteAsync(LateBytes);
        app.LateActionDone.SetResult();
        var first = await connection.ReadResponseAsync();

        TestContext.Progress.WriteLine($"{Host}: during request 1 the test read '{Encoding.ASCII.GetString(read.ToArray())}'; response 1: {first} '{first.BodyText}'");
        Assert.Multiple(() =>
        {
            Assert.That(first.Header("X-Late"), Is.EqualTo("from-request-1"), first.ToString());
            Assert.That(first.Body, Is.EqualTo(LateBytes));
            Assert.That(Encoding.ASCII.GetString(read.ToArray()), Is.EqualTo(FirstBody));
        });
    }

    // One response on the wire for request 2: its app's echo of its own whole body, nothing else.
    private static void AssertSecondResponseIsItsOwn(WireTranscript second)
    {
        Assert.That(second.Responses.Select(response => (response.StatusCode, response.BodyText)).ToArray(), Is.EqualTo(new[] { (200, SecondBody) }), $"request 2's app read its whole body and echoed it: {second}");
        Assert.That(second.Unparsed, Is.Empty, "bytes no response explains");
    }

    private static string Outcome(Exception? late) => late is null ? "did not throw" : "threw " + late.GetType().Name;

    // Request 1 (GET /first) ends; request 2 (POST /second with a body) waits in its app while the test acts through
    // request 1's environment, then reads its own body and echoes it.
    private async Task<(WireTranscript Second, Exception? Late)> RunLateActionAsync(Func<IDictionary<string, object>, Task<string>> lateAction)
    {
        var app = new TwoRequestApp();
        await using var server = await StartAsync(app.InvokeAsync);
        using var connection = await server.ConnectAsync();

        await connection.SendAsync(server.Request("GET", "/first"));
        var first = await connection.ReadResponseAsync();
        Assert.That(first.StatusCode, Is.EqualTo(200), $"response 1: {first}");
        var environment = await app.First.Task.WaitAsync(Wait);
        await connection.SendAsync(server.Request("POST", "/second", "Content-Length: 11") + SecondBody);
        await app.SecondWaiting.Task.WaitAsync(Wait);
        Exception? late = null;
        try
        {
            // Bounded: a late read that waits for bytes must fail the test, not hang it.
            var got = await Task.Run(() => lateAction(environment)).WaitAsync(TimeSpan.FromSeconds(2));
            TestContext.Progress.WriteLine($"{Host}: the late action returned normally; it read '{got}'");
        }
        catch (Exception exception) when (exception is not AssertionException)
        {
            late = exception;
        }
        finally
        {
            app.LateActionDone.TrySetResult();
        }

        return (await WireTranscript.ReadAsync(connection), late);
    }

    private sealed class TwoRequestApp
    {
        /// <summary>Request 1's environment, as the app saw it.</summary>
        public TaskCompletionSource<IDictionary<string, object>> First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Request 2 has reached the app, which waits for <see cref="LateActionDone"/>.</summary>
        public TaskCompletionSource SecondWaiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource LateActionDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>For the control: request 1's app waits for the test's action before it returns.</summary>
        public bool HoldFirst { get; init; }

        public AppFunc InvokeAsync => async environment =>
        {
            if ((string)environment["owin.RequestPath"] == "/first")
            {
                First.TrySetResult(environment);
                if (HoldFirst)
                {
                    await LateActionDone.Task;
                }

                return;
            }

            SecondWaiting.TrySetResult();
            await LateActionDone.Task;
            var received = new MemoryStream();
            await ((Stream)environment["owin.RequestBody"]).CopyToAsync(received);
            ScenarioApp.ResponseHeaders(environment)["Content-Type"] = ["text/plain"];
            await ScenarioApp.ResponseBody(environment).WriteAsync(received.ToArray());
        };
    }
}
