using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin;

/// <summary>
/// Runs every check concurrently under one hard deadline, shares each run between concurrent status
/// requests (single-flight), and reuses a finished run for the cache duration.
/// </summary>
/// <remarks>
/// It returns outcomes and timings (<see cref="CheckRun"/>), never wire bytes: Rendering/ turns a run into a body.
/// </remarks>
internal sealed class HealthCheckRunner
{
    /// <summary>A run with a failed check is reused for the cache duration divided by this.</summary>
    internal const int FailureReuseDivisor = 20;

    private readonly CheckSlot[] _slots;
    private readonly TimeSpan _timeout;
    private readonly long _cacheTicks;
    private readonly long _failureCacheTicks;
    private readonly ILogger _logger;
    private readonly HealthEndpointMetrics _metrics;
    private readonly CheckStateLog _stateLog;
    private readonly object _gate = new();

    // The run in progress, or the last finished one. While it is fresh (Stopwatch time before _freshUntil) it is
    // returned without taking the lock: status probes under load do not queue behind each other.
    private volatile Task<CheckRun>? _current;
    private long _freshUntil;

    public HealthCheckRunner(
        IReadOnlyList<CheckSlot> slots, TimeSpan timeout, TimeSpan cacheDuration, ILogger logger, HealthEndpointMetrics metrics, MonotonicClock clock)
    {
        _slots = new CheckSlot[slots.Count];
        var names = new string[slots.Count];
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = slots[i];
            names[i] = slots[i].Name;
        }

        _timeout = timeout;
        // Clamped so that adding it to a timestamp cannot overflow, whatever duration was configured.
        _cacheTicks = (long)Math.Min(cacheDuration.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 4);

        // A failing run is reused for a twentieth of the time only (50 ms by default), so that a dependency that
        // came back shows as ok within a poll or two. The load stays bounded: at most twenty runs a second by
        // default, each with at most one operation per dependency, and a run against a hung dependency joins the
        // operation still running instead of starting another (CheckSlot), so a thaw shows as soon as that ends.
        _failureCacheTicks = _cacheTicks / FailureReuseDivisor;
        _logger = logger;
        _metrics = metrics;
        _stateLog = new CheckStateLog(names, logger, clock);
    }

    /// <summary>Returns the run in progress, or the last one while it is fresh, or starts a new run.</summary>
    /// <remarks>The returned task never faults: a failure anywhere becomes a <c>fail</c> token.</remarks>
    public Task<CheckRun> GetRunAsync()
    {
        var current = _current;
        if (IsReusable(current))
        {
            _metrics.RunReused(current!);
            return current!;
        }

        lock (_gate)
        {
            current = _current;
            if (IsReusable(current))
            {
                _metrics.RunReused(current!);
                return current!;
            }

            _metrics.RunStarted();

            // Waiters resume on the thread pool, never on the thread that finished the last check: that may be
            // a driver's own I/O thread, which must not be kept busy writing responses.
            var completion = new TaskCompletionSource<CheckRun>(TaskCreationOptions.RunContinuationsAsynchronously);
            _current = completion.Task;
            _ = CompleteRunAsync(completion);
            return completion.Task;
        }
    }

    // A finished run's _freshUntil was written before the run completed, so seeing it completed means seeing that.
    private bool IsReusable(Task<CheckRun>? run) =>
        run is not null && (!run.IsCompleted || Stopwatch.GetTimestamp() < Volatile.Read(ref _freshUntil));

    private async Task CompleteRunAsync(TaskCompletionSource<CheckRun> completion)
    {
        CheckRun run;
        try
        {
            run = await RunChecksAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            RunnerLog.RunFailed(_logger, exception);
            run = FailEveryConfiguredCheck();
        }

        Volatile.Write(ref _freshUntil, Stopwatch.GetTimestamp() + (run.Healthy ? _cacheTicks : _failureCacheTicks));
        completion.SetResult(run);
    }

    private async Task<CheckRun> RunChecksAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var startedAt = DateTime.UtcNow;

        // One timer per run: it cancels the checks' token (for drivers that listen) and completes the deadline
        // task that every wait races against (for drivers that do not).
        var deadlineSource = new CancellationTokenSource(_timeout);
        var deadline = Task.Delay(Timeout.Infinite, deadlineSource.Token);

        var operations = new List<Task>(_slots.Length);
        var results = new Task<CheckResult>[_slots.Length];
        for (var i = 0; i < _slots.Length; i++)
        {
            var slot = _slots[i];
            if (!slot.IsConfigured)
            {
                results[i] = Task.FromResult(new CheckResult(slot.Name, CheckOutcome.Skipped));
                continue;
            }

            var operation = slot.JoinOrStart(deadlineSource.Token);
            operations.Add(operation);
            results[i] = AwaitCheckResultAsync(slot, operation, deadline, started, startedAt);
        }

        // The token must stay valid for operations that outlive the deadline, so it is disposed after they end.
        _ = Task.WhenAll(operations).ContinueWith(
            static (_, source) => ((CancellationTokenSource)source!).Dispose(),
            deadlineSource,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        var finished = await Task.WhenAll(results).ConfigureAwait(false);
        return CheckRun.Create(finished);
    }

    private async Task<CheckResult> AwaitCheckResultAsync(CheckSlot slot, Task operation, Task deadline, long started, DateTime startedAt)
    {
        var first = await Task.WhenAny(operation, deadline).ConfigureAwait(false);
        var outcome = first == operation && operation.Status == TaskStatus.RanToCompletion ? CheckOutcome.Ok : CheckOutcome.Fail;
        var elapsed = TimeSpan.FromTicks((Stopwatch.GetTimestamp() - started) * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
        return CheckFinished(slot, operation, first == operation, outcome, elapsed, startedAt);
    }

    // The one place where a check's outcome and elapsed time in this run are known: metrics, the state log, and
    // the result that Rendering/ shows. An abandoned check reports the deadline as its time: all that is known.
    private CheckResult CheckFinished(
        CheckSlot slot, Task operation, bool finishedInTime, CheckOutcome outcome, TimeSpan elapsed, DateTime startedAt)
    {
        _metrics.CheckFinished(slot.Name, outcome, elapsed);
        if (!finishedInTime)
        {
            slot.Abandon(operation);
            _stateLog.TimedOut(slot.Name, _timeout);
            return new CheckResult(slot.Name, outcome, _timeout, startedAt);
        }

        if (outcome == CheckOutcome.Ok)
        {
            _stateLog.Succeeded(slot.Name);
        }
        else
        {
            var exception = operation.Exception?.InnerExceptions.Count == 1
                ? operation.Exception.InnerException!
                : (Exception?)operation.Exception ?? new OperationCanceledException("The check was cancelled.");
            _stateLog.Failed(slot.Name, elapsed, exception);
        }

        return new CheckResult(slot.Name, outcome, elapsed, startedAt);
    }

    private CheckRun FailEveryConfiguredCheck()
    {
        var results = new CheckResult[_slots.Length];
        for (var i = 0; i < results.Length; i++)
        {
            var outcome = _slots[i].IsConfigured ? CheckOutcome.Fail : CheckOutcome.Skipped;
            results[i] = new CheckResult(_slots[i].Name, outcome);
        }

        return CheckRun.Create(results);
    }
}
