using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Tests.Conformance;

/// <summary>
/// An app that registers on each request's <c>owin.CallCancelled</c> and keeps the registration past the request,
/// as a fire-and-forget task would: <c>/first</c> answers at once, <c>/second</c> waits in the app until
/// <see cref="Release"/>, so that the test can reset the connection in the middle of it.
/// </summary>
internal sealed class TokenKeepingApp
{
    /// <summary>Request 1's token, kept past its request.</summary>
    public CancellationToken FirstToken { get; private set; }

    /// <summary>Set when request 1's token fires, through the registration its app made during the request.</summary>
    public TaskCompletionSource FirstFired { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when request 1's token fires, through a registration made after request 1 ended and before the reset.</summary>
    public TaskCompletionSource FirstFiredLate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when request 2's token fires.</summary>
    public TaskCompletionSource SecondFired { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets request 2's app return; set it before the server stops.</summary>
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TaskCompletionSource SecondWaiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task InvokeAsync(IDictionary<string, object> environment)
    {
        var token = (CancellationToken)environment["owin.CallCancelled"];
        if ((string)environment["owin.RequestPath"] == "/first")
        {
            FirstToken = token;
            token.Register(FirstFired.SetResult);
            return;
        }

        token.Register(SecondFired.SetResult);
        SecondWaiting.TrySetResult();
        await Release.Task;
    }

    /// <summary>
    /// Request 1 on a new connection, then request 2 on the same one; once request 2 is in the app, request 1's token
    /// is registered on once more (late, as a task that outlived request 1 would), then the connection is reset.
    /// </summary>
    public async Task RunAndResetAsync(TestServer server)
    {
        using var connection = await server.ConnectAsync();
        await connection.SendAsync(server.Request("GET", "/first"));
        await connection.ReadResponseAsync();
        await connection.SendAsync(server.Request("GET", "/second"));
        await SecondWaiting.Task.WaitAsync(RawHttpConnection.ReadTimeout);
        FirstToken.Register(FirstFiredLate.SetResult);
        connection.Abort();
    }

    /// <summary>Whether <paramref name="fired"/> completes within <paramref name="window"/>, and after how long.</summary>
    public static async Task<(bool Fired, TimeSpan After)> FiresWithinAsync(Task fired, TimeSpan window)
    {
        var clock = Stopwatch.StartNew();
        var completed = await Task.WhenAny(fired, Task.Delay(window));
        return (completed == fired, clock.Elapsed);
    }
}
