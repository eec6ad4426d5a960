using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Tests.Conformance;

/// <summary>
/// What an app keeps of a request (its environment, response body, response headers and OnSendingHeaders, taken
/// during the request, as a fire-and-forget task would) is dead once the request is over: every use throws
/// <see cref="ObjectDisposedException"/>, also while the connection's next request is in its app, and nothing of it
/// reaches the next response.
/// </summary>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class HeldObjectIsolationTests : HostFixture
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly byte[] LateBytes = Encoding.ASCII.GetBytes("late-bytes");

    public HeldObjectIsolationTests(HostKind host)
        : base(host)
    {
    }

    [Test]
    public async Task ObjectsKeptPastTheRequest_ThrowObjectDisposedWhileTheNextRequestRuns()
    {
        var app = new KeepingApp();
        await using var server = await StartAsync(app.InvokeAsync);
        using var connection = await server.ConnectAsync();

        await connection.SendAsync(server.Request("GET", "/first"));
        var first = await connection.ReadResponseAsync();
        await connection.SendAsync(server.Request("GET", "/second"));
        await app.SecondWaiting.Task.WaitAsync(Wait);
        var outcomes = new Dictionary<string, string>
        {
            ["body write"] = Outcome(() => app.Body!.Write(LateBytes, 0, LateBytes.Length)),
            ["body async write"] = Outcome(() => app.Body!.WriteAsync(LateBytes).AsTask().GetAwaiter().GetResult()),
            ["body flush"] = Outcome(() => app.Body!.Flush()),
            ["header set"] = Outcome(() => app.Headers!["X-Late"] = ["from-request-1"]),
            ["header count"] = Outcome(() => _ = app.Headers!.Count),
            ["environment read"] = Outcome(() => _ = app.Environment!["owin.RequestPath"]),
            ["environment write"] = Outcome(() => app.Environment!["owin.ResponseStatusCode"] = 500),
            ["OnSendingHeaders"] = Outcome(() => app.OnSendingHeaders!(_ => { }, new object())),
        };
        app.LateActionsDone.SetResult();
        var second = await WireTranscript.ReadAsync(connection);

        TestContext.Progress.WriteLine($"{Host}: {string.Join("; ", outcomes.Select(entry => $"{entry.Key}: {entry.Value}"))}; request 2 got: {second}");
        Assert.Multiple(() =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(200), $"response 1: {first}");
            Assert.That(app.Body!.CanWrite, Is.False, "a kept response body can no longer be written");
            Assert.That(outcomes.Where(entry => entry.Value != nameof(ObjectDisposedException)), Is.Empty, "uses of request 1's objects that did not throw ObjectDisposedException");
            Assert.That(second.Responses.Select(response => (response.StatusCode, response.BodyText)).ToArray(), Is.EqualTo(new[] { (200, "second") }), second.ToString());
            Assert.That(second.First?.Values("X-Late"), Is.Empty, second.ToString());
            Assert.That(second.Unparsed, Is.Empty, "bytes no response explains");
        });
    }

    private static string Outcome(Action action)
    {
        try
        {
            action();
            return "no exception";
        }
        catch (Exception exception)
        {
            return exception.GetType().Name;
        }
    }

    private sealed class KeepingApp
    {
        public IDictionary<string, object>? Environment { get; private set; }

        public Stream? Body { get; private set; }

        public IDictionary<string, string[]>? Headers { get; private set; }

        public Action<Action<object>, object>? OnSendingHeaders { get; private set; }

        public TaskCompletionSource SecondWaiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource LateActionsDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task InvokeAsync(IDictionary<string, object> environment)
        {
            if ((string)environment["owin.RequestPath"] == "/first")
            {
                Environment = environment;
                Body = ScenarioApp.ResponseBody(environment);
                Headers = ScenarioApp.ResponseHeaders(environment);
                OnSendingHeaders = (Action<Action<object>, object>)environment["server.OnSendingHeaders"];
                return;
            }

            SecondWaiting.TrySetResult();
            await LateActionsDone.Task;
            ScenarioApp.ResponseHeaders(environment)["Content-Type"] = ["text/plain"];
            await ScenarioApp.ResponseBody(environment).WriteAsync(Encoding.ASCII.GetBytes("second"));
        }
    }
}
