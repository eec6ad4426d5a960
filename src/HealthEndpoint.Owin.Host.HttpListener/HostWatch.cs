using System;
using System.Threading;
using HealthEndpoint.Owin.Hosting.Core;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin.Host.HttpListener;

/// <summary>
/// Once a second, looks at what the managed HttpListener keeps silent about: descriptors near the open-file limit
/// (its accept loop then retries EMFILE without a word, spinning a core) and every request slot taken for
/// longer than <see cref="DefaultStallAfter"/> (new requests wait unanswered). Each is logged when it begins and when it ends.
/// </summary>
internal sealed class HostWatch : IDisposable
{
    /// <summary>How long every slot must stay taken, by default, before it is logged as a stall.</summary>
    public static readonly TimeSpan DefaultStallAfter = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _period;
    private readonly int _stallTicks;

    private readonly ILogger _logger;
    private readonly Func<int> _freeSlots;
    private readonly int _slots;
    private readonly long? _openFileLimit;
    private readonly Timer _timer;
    private bool _pressure;
    private int _busyTicks;
    private bool _stalled;
    private int _running;

    public HostWatch(ILogger logger, Func<int> freeSlots, int slots, long? openFileLimit, TimeSpan? period = null, TimeSpan? stallAfter = null)
    {
        _period = period ?? TimeSpan.FromSeconds(1);
        _stallTicks = (int)Math.Ceiling((stallAfter ?? DefaultStallAfter) / _period);
        _logger = logger;
        _freeSlots = freeSlots;
        _slots = slots;
        _openFileLimit = openFileLimit;
        _timer = new Timer(static state => ((HostWatch)state!).Tick(), this, _period, _period);
    }

    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        // A slow tick (a thread pool starved by the very pressure it reports) must not overlap the next one.
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            return;
        }

        try
        {
            WatchDescriptors();
            WatchSlots();
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private void WatchDescriptors()
    {
        if (_openFileLimit is not long limit || !OperatingSystem.IsLinux())
        {
            return;
        }

        // Counting fails with EMFILE exactly when every descriptor is taken.
        var open = OpenFileLimit.CountOpen() ?? limit;
        if (!_pressure && open >= limit * 9 / 10)
        {
            _pressure = true;
            HostLog.OpenFilesNearLimit(_logger, open, limit);
        }
        else if (_pressure && open < limit * 3 / 4)
        {
            _pressure = false;
            HostLog.OpenFilesRecovered(_logger, open, limit);
        }
    }

    private void WatchSlots()
    {
        if (_freeSlots() > 0)
        {
            if (_stalled)
            {
                HostLog.AcceptResumed(_logger, (int)(_busyTicks * _period.TotalSeconds));
            }

            _busyTicks = 0;
            _stalled = false;
            return;
        }

        _busyTicks++;
        if (!_stalled && _busyTicks >= _stallTicks)
        {
            _stalled = true;
            HostLog.AcceptStalled(_logger, _slots, (int)(_busyTicks * _period.TotalSeconds));
        }
    }
}
