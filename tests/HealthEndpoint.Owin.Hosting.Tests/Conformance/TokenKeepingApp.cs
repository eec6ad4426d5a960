using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Owin.HealthEndpoint.Hosting.Tests.Conformance;

/// <summary>
/// An app that keeps each request's <c>owin.CallCancelled</c>: <c>/first</c> answers at once, <c>/second</c> waits in
/// the app until <see cref="Release"/>, so that the test can reset the connection in the middle of it.
/// </summary>
internal sealed class TokenKeepingApp
{
    /// <summary>Request 1's token, kept past its request as a fire-and-forget task would.</summary>
    public TaskCompletionSource<CancellationToken> FirstToken { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Request 2's token; set once request 2 is in the app.</summary>
    public TaskCompletionSource<CancellationToken> SecondToken { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets request 2's app return; set it before the server stops.</summary>
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task InvokeAsync(IDictionary<string, object> environment)
    {
        var token = (CancellationToken)environment["owin.CallCancelled"];
        if ((string)environment["owin.RequestPath"] == "/first")
        {
            FirstToken.TrySetResult(token);
            return;
        }

        SecondToken.TrySetResult(token);
        await Release.Task;
    }

    /// <summary>
    /// Request 1 on a new connection, then request 2 on the same one; once request 2 is in the app, the connection is
    /// reset. Returns request 1's and request 2's tokens.
    /// </summary>
    public async Task<(CancellationToken First, CancellationToken Second)> RunAndResetAsync(TestServer server)
    {
        using var connection = await server.ConnectAsync();
        await connection.SendAsync(server.Request("GET", "/first"));
        await connection.ReadResponseAsync();
        var first = await FirstToken.Task.WaitAsync(RawHttpConnection.ReadTimeout);
        await connection.SendAsync(server.Request("GET", "/second"));
        var second = await SecondToken.Task.WaitAsync(RawHttpConnection.ReadTimeout);
        connection.Abort();
        return (first, second);
    }

    /// <summary>Whether <paramref name="token"/> fires within <paramref name="window"/>, and after how long.</summary>
    public static async Task<(bool Fired, TimeSpan After)> FiresWithinAsync(TimeSpan window, CancellationToken token)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = token.Register(fired.SetResult);
        var completed = await Task.WhenAny(fired.Task, Task.Delay(window, CancellationToken.None));
        return (completed == fired.Task, clock.Elapsed);
    }
}
