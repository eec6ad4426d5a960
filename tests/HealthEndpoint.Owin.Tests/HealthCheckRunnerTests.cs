using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests;

/// <summary>
/// The runner's promises through the status path: hard deadlines, one operation per dependency, single-flight and
/// reuse (what it logs: <see cref="HealthCheckRunnerLogTests"/>). No sleeps: TaskCompletionSources gate the checks.
/// </summary>
[TestFixture]
public sealed class HealthCheckRunnerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(400);

    [Test]
    public async Task Runner_CheckNeverCompletesAndIgnoresToken_ReportsFailWithinDeadline()
    {
        var options = Options(database: _ => new TaskCompletionSource().Task);
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
        var environment = OwinEnvironment.Create("GET", "/healthz/status");

        var clock = Stopwatch.StartNew();
        var timerAlone = ElapsedAtAsync(Task.Delay(Timeout), clock);
        await middleware.Invoke(environment);
        clock.Stop();

        Assert.That(environment.ResponseBodyText(), Is.EqualTo("""{"checks":{"database":"fail","redis":"skipped"},"status":"fail"}"""));
        Assert.That(environment.StatusCode(), Is.EqualTo(503));
        Assert.That(clock.Elapsed, Is.LessThan(Later(await timerAlone, Timeout) + TimeSpan.FromMilliseconds(100)));
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(Timeout - TimeSpan.FromMilliseconds(20)), "control: the deadline, not an early exit, ended the wait");
    }

    [Test]
    public async Task Runner_CheckBlocksSynchronouslyBeforeReturningTask_StillMeetsDeadline()
    {
        using var release = new ManualResetEventSlim();
        var options = Options(database: _ =>
        {
            release.Wait(TimeSpan.FromSeconds(10), CancellationToken.None);
            return Task.CompletedTask;
        });
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
        var environment = OwinEnvironment.Create("GET", "/healthz/status");

        var clock = Stopwatch.StartNew();
        var timerAlone = ElapsedAtAsync(Task.Delay(Timeout), clock);
        await middleware.Invoke(environment);
        clock.Stop();
        release.Set();

        Assert.That(environment.StatusCode(), Is.EqualTo(503));
        Assert.That(clock.Elapsed, Is.LessThan(Later(await timerAlone, Timeout) + TimeSpan.FromMilliseconds(100)));
    }

    [Test]
    public async Task Runner_HundredConcurrentStatusRequests_StartExactlyOneOperation()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var check = new CountingCheck(() => gate.Task);
        var options = Options(database: check.Invoke);
        options.CheckTimeout = TimeSpan.FromSeconds(30);
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);

        // The gate opens only once every request is waiting on the run: one that reached the middleware after the
        // run had finished would rightly start another (StatusCacheDuration is zero), which a loaded machine once did.
        var environments = Enumerable.Range(0, 100).Select(_ => OwinEnvironment.Create("GET", "/healthz/status")).ToArray();
        var waiting = 0;
        var requests = environments.Select(environment => Task.Run(() =>
        {
            var request = middleware.Invoke(environment);
            Interlocked.Increment(ref waiting);
            return request;
        })).ToArray();
        await Poll.UntilAsync(() => Task.FromResult(check.Started > 0 && Volatile.Read(ref waiting) == 100), TimeSpan.FromSeconds(10), "every request waits on the started check");
        var startedWhileWaiting = check.Started;
        gate.SetResult();
        await Task.WhenAll(requests);

        Assert.That(startedWhileWaiting, Is.EqualTo(1));
        Assert.That(check.Started, Is.EqualTo(1));
        Assert.That(environments.Select(environment => environment.StatusCode()), Is.All.EqualTo(200));
        Assert.That(environments.Select(environment => environment.ResponseBodyText()).Distinct(), Has.Exactly(1).Items);
    }

    [Test]
    public async Task Runner_AbandonedOperationStillRunning_StartsNoSecondOne()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var check = new CountingCheck(() => gate.Task);
        var options = Options(database: check.Invoke);
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);

        var first = await StatusAsync(middleware);
        var second = await StatusAsync(middleware);
        var third = await StatusAsync(middleware);
        var startedWhileHung = check.Started;

        gate.SetResult();
        var afterRecovery = await StatusAsync(middleware);
        var startedBeforeNextRun = check.Started;
        await StatusAsync(middleware);

        Assert.That(new[] { first, second, third }, Is.All.EqualTo(503), "every run while the operation hangs reports fail");
        Assert.That(startedWhileHung, Is.EqualTo(1), "no second operation while the first is still running");
        Assert.That(afterRecovery, Is.EqualTo(200), "the next run after the dependency answers reports ok");
        Assert.That(check.Started, Is.EqualTo(startedBeforeNextRun + 1), "control: a new operation does start once the old one has ended");
    }

    [Test]
    public async Task Runner_CacheDurationPositive_ReusesFinishedRun()
    {
        var check = new CountingCheck(() => Task.CompletedTask);
        var options = Options(database: check.Invoke);
        options.StatusCacheDuration = TimeSpan.FromHours(1);
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);

        await StatusAsync(middleware);
        await StatusAsync(middleware);
        await StatusAsync(middleware);

        Assert.That(check.Started, Is.EqualTo(1));
    }

    [Test]
    public async Task Runner_FailedRun_IsReusedForATwentiethOfTheCacheDuration()
    {
        // Arrange: the same check fails or succeeds; a run is repeated only once its reuse has expired.
        var failing = true;
        var check = new CountingCheck(() => Volatile.Read(ref failing) ? Task.FromException(new InvalidOperationException("down")) : Task.CompletedTask);
        var options = Options(database: check.Invoke);
        options.StatusCacheDuration = TimeSpan.FromSeconds(40);
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);

        // Act: a failed run is re-run after 2 s (40 s / 20); the ok run that follows is then reused.
        Assert.That(await StatusAsync(middleware), Is.EqualTo(503));
        Volatile.Write(ref failing, false);
        var clock = Stopwatch.StartNew();
        await Poll.UntilAsync(async () => await StatusAsync(middleware) == 200, TimeSpan.FromSeconds(8), "a new run after the failed one");
        var rerunAfter = clock.Elapsed;
        var startedAfterOk = check.Started;
        clock.Restart();
        while (clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            await StatusAsync(middleware);
        }

        // Assert
        Assert.That(rerunAfter, Is.LessThan(TimeSpan.FromSeconds(6)), "the failure was not kept for the full 40 s");
        Assert.That(rerunAfter, Is.GreaterThan(TimeSpan.FromSeconds(1.5)), "control: the failure was reused for a while");
        Assert.That(check.Started, Is.EqualTo(startedAfterOk), "an ok run is reused for the full duration");
    }

    [Test]
    public async Task Runner_CacheDurationZero_RunsAgainAfterEachFinishedRun()
    {
        var check = new CountingCheck(() => Task.CompletedTask);
        var options = Options(database: check.Invoke);
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);

        await StatusAsync(middleware);
        await StatusAsync(middleware);
        await StatusAsync(middleware);

        Assert.That(check.Started, Is.EqualTo(3));
    }

    [Test]
    public async Task Runner_ChecksOfOneDependency_StartOnOneLongLivedThreadOfTheirOwn()
    {
        var threads = new List<int>();
        var options = Options(database: _ =>
        {
            lock (threads)
            {
                threads.Add(Environment.CurrentManagedThreadId);
            }

            return Task.CompletedTask;
        });
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);

        for (var i = 0; i < 5; i++)
        {
            await StatusAsync(middleware);
        }

        Assert.That(threads, Has.Count.EqualTo(5));
        Assert.That(threads.Distinct(), Has.Exactly(1).Items, "no new thread per run");
        Assert.That(threads[0], Is.Not.EqualTo(Environment.CurrentManagedThreadId), "not the requesting thread");
    }

    [Test]
    public async Task Runner_Checks_RunConcurrently()
    {
        // Each check finishes only once the other has started: run one after the other, both would time out.
        var databaseStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var redisStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = Options(
            database: _ =>
            {
                databaseStarted.SetResult();
                return redisStarted.Task;
            },
            redis: _ =>
            {
                redisStarted.SetResult();
                return databaseStarted.Task;
            });
        options.CheckTimeout = TimeSpan.FromSeconds(10);
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);

        Assert.That(await StatusAsync(middleware), Is.EqualTo(200));
    }

    [Test]
    public async Task Runner_CheckHonoursToken_SeesCancellationAtDeadline()
    {
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = Options(database: async token =>
        {
            try
            {
                await Task.Delay(System.Threading.Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                cancelled.SetResult(true);
                throw;
            }
        });
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);

        var status = await StatusAsync(middleware);

        Assert.That(status, Is.EqualTo(503));
        Assert.That(await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5)), Is.True);
    }

    private static HealthEndpointOptions Options(HealthCheck? database = null, HealthCheck? redis = null) => new()
    {
        Database = database,
        Redis = redis,
        CheckTimeout = Timeout,
        StatusCacheDuration = TimeSpan.Zero,
    };

    // Under load every timer fires late (Mono, load average 30: 501 ms for this 400 ms deadline). The runner may add
    // at most 100 ms to the runtime's own timer: a plain Task.Delay of the same length, started with it, is the yardstick.
    private static Task<TimeSpan> ElapsedAtAsync(Task timer, Stopwatch clock) =>
        timer.ContinueWith(_ => clock.Elapsed, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    private static TimeSpan Later(TimeSpan first, TimeSpan second) => first > second ? first : second;

    private static async Task<int> StatusAsync(HealthEndpointMiddleware middleware)
    {
        var environment = OwinEnvironment.Create("GET", "/healthz/status");
        await middleware.Invoke(environment);
        return environment.StatusCode();
    }
}
