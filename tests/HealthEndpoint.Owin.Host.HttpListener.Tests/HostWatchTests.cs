using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Host.HttpListener;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>What the managed HttpListener keeps silent about is logged: every request slot taken, and freed again.</summary>
[TestFixture]
public sealed class HostWatchTests
{
    [Test]
    public async Task Watch_AllSlotsTakenThenOneFreed_LogsStalledOnceThenResumed()
    {
        using var loggers = new RecordingLoggerFactory();
        var free = 0;
        using var watch = new HostWatch(loggers.CreateLogger("host"), () => Volatile.Read(ref free), 4, openFileLimit: null, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200));

        await Poll.UntilAsync(() => Task.FromResult(loggers.Entries.Any(entry => entry.EventId.Name == "AcceptStalled")), TimeSpan.FromSeconds(5), "AcceptStalled");
        await Task.Delay(300);
        var stalled = loggers.Entries.Count(entry => entry.EventId.Name == "AcceptStalled");
        Volatile.Write(ref free, 1);
        await Poll.UntilAsync(() => Task.FromResult(loggers.Entries.Any(entry => entry.EventId.Name == "AcceptResumed")), TimeSpan.FromSeconds(5), "AcceptResumed");

        Assert.That(stalled, Is.EqualTo(1), "logged once while it lasts");
        Assert.That(loggers.Entries.First(entry => entry.EventId.Name == "AcceptStalled").Message, Does.Contain("All 4 request slots"));
    }

    // The control: free slots are never a stall.
    [Test]
    public async Task Watch_SlotsFree_LogsNothing()
    {
        using var loggers = new RecordingLoggerFactory();
        using var watch = new HostWatch(loggers.CreateLogger("host"), () => 1, 4, openFileLimit: null, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200));

        await Task.Delay(600);

        Assert.That(loggers.Entries, Is.Empty);
    }
}
