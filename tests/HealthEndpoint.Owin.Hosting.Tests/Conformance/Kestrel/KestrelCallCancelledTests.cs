using System;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Tests.Conformance.Kestrel;

/// <summary>
/// The control of CallCancelledIsolationTests, on the host whose token follows the client: the reset that must leave
/// a finished request's token alone does fire the token of the request it interrupts.
/// </summary>
[TestFixture]
public sealed class KestrelCallCancelledTests
{
    [Test]
    public async Task CallCancelled_ControlOfTheInterruptedRequest_FiresWhenItsClientResets()
    {
        var app = new TokenKeepingApp();
        await using var server = await TestServer.StartAsync(HostKind.Kestrel, app.InvokeAsync);
        try
        {
            await app.RunAndResetAsync(server);
            var (fired, after) = await TokenKeepingApp.FiresWithinAsync(app.SecondFired.Task, TimeSpan.FromSeconds(5));

            TestContext.Progress.WriteLine($"Kestrel: request 2's token {(fired ? $"fired {after.TotalMilliseconds:0} ms after the reset" : "did not fire in 5 s")}");
            Assert.That(fired, Is.True, "request 2's own token after its client reset");
        }
        finally
        {
            app.Release.TrySetResult();
        }
    }
}
