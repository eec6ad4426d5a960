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
/// reuse (what it logs: <see cref="HealthCheckRunnerLogTests"/>). No sleeps: TaskCompletionSources gate the checks,
/// and deadlines are shown by outcomes (the fail token, the cancelled token, the check still gated), not by timing.
/// </summary>
[TestFixture]
public sealed class HealthCheckRunnerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(400);

    // Only turns a runner that waits for a hung check into a failure instead of a hung test; it is not the promise.
    // Seventy-five deadlines: no timer on a loaded machine is that late.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Runner_CheckNeverCompletesAndIgnoresToken_ReportsFailAtTheDeadline()
    {
        var check = new GatedCheck();
        var options = Options(database: check.WaitAsync);
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
        var environment = OwinEnvironment.Create("GET", "/healthz/status");

        // The gate opens only after the response, so the run did not wait for the check; the token says why it ended.
        await middleware.Invoke(environment).WaitAsync(HangGuard);
        var deadlinePassed = check.Token.IsCancellationRequested;
        check.Release();

        Assert.That(environment.ResponseBodyText(), Is.EqualTo("""{"checks":{"database":"fail","redis":"skipped"},"status":"fail"}"""));
        Assert.That(environment.StatusCode(), Is.EqualTo(503));
        Assert.That(check.Entered, Is.True, "the check was running");
        Assert.That(deadlinePassed, Is.True, "control: the deadline, not an early exit, ended the wait");
    }

    [Test]
    public async Task Runner_CheckBlocksSynchronouslyBeforeReturningTask_StillMeetsDeadline()
    {
        var check = new GatedCheck();
        var options = Options(database: check.Block);
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
        var environment = OwinEnvironment.Create("GET", "/healthz/status");

        // Task.Run: a runner that called the check on the requesting thread would block this call itself.
        await Task.Run(() => middleware.Invoke(environment)).WaitAsync(HangGuard);
        var returnedBeforeResponse = check.Returned;
        var deadlinePassed = check.Token.IsCancellationRequested;
        check.Release();
        await check.Finished.WaitAsync(HangGuard);

        Assert.That(environment.StatusCode(), Is.EqualTo(503));
        Assert.That(check.Entered, Is.True, "the check was running");
        Assert.That(returnedBeforeResponse, Is.False, "the check was still blocked when the response came");
        Assert.That(deadlinePassed, Is.True, "control: the deadline, not an early exit, ended the wait");
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

    // The reuse window is the promise, and it is real time: the runner dates runs by the Stopwatch, not by the
    // options' Clock, so fake time cannot stand in. The failure is kept 2 s; 6 s leaves a loaded machine 4 s of slack
    // and still tells a twentieth of the duration from a fifth (8 s) or the full 40 s. The lower bound shows the
    // reuse itself, and load can only make it later.
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
        Assert.That(await cancelled.Task.WaitAsync(HangGuard), Is.True);
    }

    private static HealthEndpointOptions Options(HealthCheck? database = null, HealthCheck? redis = null) => new()
    {
        Database = database,
        Redis = redis,
        CheckTimeout = Timeout,
        StatusCacheDuration = TimeSpan.Zero,
    };

    private static async Task<int> StatusAsync(HealthEndpointMiddleware middleware)
    {
        var environment = OwinEnvironment.Create("GET", "/healthz/status");
        await middleware.Invoke(environment);
        return environment.StatusCode();
    }
}
