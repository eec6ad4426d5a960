using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin;

/// <summary>
/// Logs each check's state changes, not its runs: one error when it starts failing, at most one warning a minute
/// while it stays failing, one information line when it recovers (with the outage's length), nothing per ok run.
/// </summary>
/// <remarks>
/// Logging every failed run would write a stack trace per probe: a probe a second against a database down for an
/// hour would write thousands, and say nothing when it recovered. The error line names the exception's type and message; the full exception goes to debug, with the error and
/// with each warning. Runs are single-flight, so one check's calls do not overlap; the lock is for safety only.
/// </remarks>
internal sealed class CheckStateLog
{
    /// <summary>The least time between two "still failing" warnings for one check.</summary>
    public static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);

    private readonly ILogger _logger;
    private readonly MonotonicClock _clock;
    private readonly Dictionary<string, CheckState> _states = new(StringComparer.Ordinal);

    public CheckStateLog(IEnumerable<string> checkNames, ILogger logger, MonotonicClock clock)
    {
        foreach (var name in checkNames)
        {
            _states[name] = new CheckState();
        }

        _logger = logger;
        _clock = clock;
    }

    /// <summary>The check said ok: logs the recovery if it was failing, else nothing.</summary>
    public void Succeeded(string check)
    {
        var state = _states[check];
        lock (state)
        {
            if (!state.Failing)
            {
                return;
            }

            state.Failing = false;
            RunnerLog.Recovered(_logger, check, _clock.Now - state.FailingSince, state.FailedRuns);
        }
    }

    /// <summary>The check threw or returned a faulted task after <paramref name="elapsed"/>.</summary>
    public void Failed(string check, TimeSpan elapsed, Exception exception)
    {
        var state = _states[check];
        lock (state)
        {
            if (StartFailing(state))
            {
                RunnerLog.CheckFailed(_logger, check, (long)elapsed.TotalMilliseconds, exception);
                RunnerLog.FailureDetail(_logger, check, exception);
                return;
            }

            if (WarningDue(state))
            {
                var last = RunnerLog.TypeName(exception) + ": " + RunnerLog.OneLine(exception.Message);
                RunnerLog.StillFailing(_logger, check, _clock.Now - state.FailingSince, state.FailedRuns, last);
                RunnerLog.FailureDetail(_logger, check, exception);
            }
        }
    }

    /// <summary>The check did not finish within <paramref name="timeout"/>.</summary>
    public void TimedOut(string check, TimeSpan timeout)
    {
        var state = _states[check];
        lock (state)
        {
            var milliseconds = (long)timeout.TotalMilliseconds;
            if (StartFailing(state))
            {
                RunnerLog.CheckTimedOut(_logger, check, milliseconds);
                return;
            }

            if (WarningDue(state))
            {
                var last = "did not finish within its " + milliseconds.ToString(CultureInfo.InvariantCulture) + " ms deadline";
                RunnerLog.StillFailing(_logger, check, _clock.Now - state.FailingSince, state.FailedRuns, last);
            }
        }
    }

    // True when this failure is a state change (ok or never run → fail); counts the failed run either way.
    private bool StartFailing(CheckState state)
    {
        if (state.Failing)
        {
            state.FailedRuns++;
            return false;
        }

        state.Failing = true;
        state.FailedRuns = 1;
        state.FailingSince = state.LastReport = _clock.Now;
        return true;
    }

    private bool WarningDue(CheckState state)
    {
        var now = _clock.Now;
        if (now - state.LastReport < WarningInterval)
        {
            return false;
        }

        state.LastReport = now;
        return true;
    }

    private sealed class CheckState
    {
        public bool Failing { get; set; }

        public int FailedRuns { get; set; }

        public TimeSpan FailingSince { get; set; }

        public TimeSpan LastReport { get; set; }
    }
}
