using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;

namespace LegacyApp.Tests.Hostile;

/// <summary>
/// Issue 10, item 2: under <c>ulimit -n 1024</c>, 1,100 connections each holding a partial request. The Kestrel
/// host caps connections below the open-file limit (896 here) and answers ping within 3 s once the pressure ends;
/// the HttpListener host documents its known limit: the process aborts.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class FdPressureTests
{
    private const int OpenFileLimit = 1024;
    private const int Held = 1100;
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(3);

    [Test]
    public async Task HeldConnections_KestrelUnderLowFileLimit_SurvivesAndPingsWithinThreeSecondsAfter()
    {
        await using var target = await HostileTarget.StartAsync("Kestrel", OpenFileLimit);

        var (held, during) = await PressAsync(target);
        var released = Stopwatch.StartNew();
        var ping = await PingUntilAsync(target, Recovery);

        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Kestrel, ulimit -n {OpenFileLimit}: {held} of {Held} partial requests held open; ping during the pressure {during}; alive {!target.HasExited}; ping {ping.Status} {released.Elapsed.TotalMilliseconds:0} ms after release"));
        Assert.That(held, Is.GreaterThan(OpenFileLimit - 200), "control: the pressure reached the open-file limit");
        Assert.That(target.HasExited, Is.False, target.Output);
        Assert.That(ping.Status, Is.EqualTo(200), "ping within 3 s once the pressure ends");
        Assert.That(target.Output, Does.Not.Contain("Unhandled exception"));
    }

    // Documented limit: HttpListener has no connection cap, so at the open-file limit nothing is answered (health
    // included) and its accept loop retries EMFILE without a pause (the figure: CPU while held). What is ours: the
    // pressure is logged (OpenFilesNearLimit). The issue saw it abort 2 of 2 times; here it survived 3–5 s holds.
    [Test]
    public async Task HeldConnections_HttpListenerUnderLowFileLimit_NothingAnsweredDuringPressureWhichIsLogged()
    {
        await using var target = await HostileTarget.StartAsync("HttpListener", OpenFileLimit);

        var (held, during) = await PressAsync(target);
        var released = Stopwatch.StartNew();
        var ping = await PingUntilAsync(target, Recovery);

        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"HttpListener, ulimit -n {OpenFileLimit}: {held} of {Held} partial requests held; ping during the pressure {during}; alive {!target.HasExited} (exit {(target.HasExited ? target.ExitCode : 0)}); ping after release {ping.Status} at {released.Elapsed.TotalMilliseconds:0} ms"));
        Assert.That(held, Is.GreaterThan(OpenFileLimit - 200), "control: the pressure reached the open-file limit");
        Assert.That(during, Is.Zero, "the known limit is gone: HttpListener answered ping at the open-file limit");
        Assert.That(target.Output, Does.Contain("file descriptors are open: new connections fail (EMFILE)"), "the pressure is logged");
    }

    // Opens the connections, then pings once while they are held (a figure, not asserted: a host at its limit may
    // refuse), then closes them all.
    private static async Task<(int Held, int PingDuring)> PressAsync(HostileTarget target)
    {
        var sockets = await HostileClients.HoldPartialRequestsAsync(target.Port, Held);
        try
        {
            var cpuBefore = target.CpuTime;
            var clock = Stopwatch.StartNew();
            await Task.Delay(Hold);
            var cpu = (target.HasExited ? TimeSpan.Zero : target.CpuTime - cpuBefore) / clock.Elapsed;
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{target.Server}: CPU while held {cpu * 100:0} % of one core"));
            var during = target.HasExited ? 0 : (await RawHttp.GetAsync(target.Port, "/healthz/ping", TimeSpan.FromSeconds(2))).Status;
            return (sockets.Count, during);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    private static async Task<(int Status, TimeSpan Elapsed, string Response)> PingUntilAsync(HostileTarget target, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        (int Status, TimeSpan Elapsed, string Response) ping = default;
        while (clock.Elapsed < deadline && !target.HasExited)
        {
            ping = await RawHttp.GetAsync(target.Port, "/healthz/ping", deadline - clock.Elapsed);
            if (ping.Status == 200)
            {
                return ping;
            }

            await Task.Delay(50);
        }

        return ping;
    }
}
