using System;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Tests.Conformance;

/// <summary>
/// A finished request's <c>owin.CallCancelled</c> never fires because a later request's client disconnects: an app
/// task that outlives its request (a late log, a fire-and-forget write) is not cancelled by another request's client,
/// whether it registered on the token during its request or after it, or polls it.
/// </summary>
/// <remarks>
/// That a reset does fire the request it interrupts is shown on Kestrel (KestrelCallCancelledTests); HttpListener's
/// token is the server's stop token, so there only the promise is asserted.
/// </remarks>
[TestFixture(HostKind.HttpListener)]
[TestFixture(HostKind.Kestrel)]
public sealed class CallCancelledIsolationTests : HostFixture
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    public CallCancelledIsolationTests(HostKind host)
        : base(host)
    {
    }

    [Test]
    public async Task CallCancelled_OfFinishedRequest_DoesNotFireWhenTheNextRequestsClientResets()
    {
        var app = new TokenKeepingApp();
        await using var server = await StartAsync(app.InvokeAsync);
        try
        {
            await app.RunAndResetAsync(server);
            var (fired, after) = await TokenKeepingApp.FiresWithinAsync(Task.WhenAny(app.FirstFired.Task, app.FirstFiredLate.Task), Window);
            var state = (InRequest: app.FirstFired.Task.IsCompleted, Late: app.FirstFiredLate.Task.IsCompleted, Polled: app.FirstToken.IsCancellationRequested);

            TestContext.Progress.WriteLine(
                $"{Host}: request 1's token {(fired ? $"fired {after.TotalMilliseconds:0} ms after request 2's client reset" : $"did not fire in {Window.TotalSeconds:0} s")}: "
                + $"registration made during request 1 {state.InRequest}, made after it {state.Late}, IsCancellationRequested {state.Polled}");
            Assert.That(state, Is.EqualTo((false, false, false)), "request 1's token after request 2's client reset: (registration during request 1 called, registration after it called, IsCancellationRequested)");
        }
        finally
        {
            app.Release.TrySetResult();
        }
    }
}
