using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests;

/// <summary>
/// Logs per state change, not per run: real status runs through the middleware, a capturing logger, and fake time
/// for the once-a-minute and outage-length decisions (the checks themselves run in real time).
/// </summary>
[TestFixture]
public sealed class CheckStateLogTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(5);

    [Test]
    public async Task Status_HundredConsecutiveFailingRuns_OneErrorAndAtMostOneWarningPerMinute()
    {
        var (middleware, logs, clock, _) = Create(failing: true);
        var started = clock.Now;

        for (var run = 0; run < 100; run++)
        {
            Assert.That(await StatusAsync(middleware), Is.EqualTo(503));
            clock.Advance(Step);
        }

        var fakeMinutes = (clock.Now - started).TotalMinutes;
        var errors = Entries(logs, LogLevel.Error);
        var warnings = Entries(logs, LogLevel.Warning);
        Assert.That(errors.Select(entry => entry.EventId.Name), Is.EqualTo(new[] { "HealthCheckFailed" }));
        Assert.That(errors[0].Message, Does.Contain("'queue'").And.Contain(" ms: System.InvalidOperationException: queue is down"));
        Assert.That(warnings, Has.Length.GreaterThanOrEqualTo(1), "control: warnings do come while it stays failing");
        Assert.That(warnings.Length, Is.LessThanOrEqualTo(fakeMinutes), $"{warnings.Length} warnings in {fakeMinutes:0.0} minutes");
        Assert.That(warnings.Select(entry => entry.EventId.Name), Is.All.EqualTo("HealthCheckStillFailing"));
        Assert.That(warnings.Last().Message, Does.Contain("'queue' still failing after").And.Contain("queue is down"));
        Assert.That(logs.Entries.Count(entry => entry.Level >= LogLevel.Information), Is.EqualTo(errors.Length + warnings.Length));
    }

    [Test]
    public async Task Status_CheckFails_NoStackTraceAtErrorLevelButFullExceptionAtDebug()
    {
        var (middleware, logs, _, _) = Create(failing: true);

        await StatusAsync(middleware);

        var error = Entries(logs, LogLevel.Error).Single();
        var detail = Entries(logs, LogLevel.Debug).Single();
        Assert.That(error.Exception, Is.Null);
        Assert.That(error.Message, Does.Not.Contain(" at ").And.Not.Contain(Environment.NewLine).And.Not.Contain("\n"));
        Assert.That(detail.EventId.Name, Is.EqualTo("HealthCheckFailureDetail"));
        Assert.That(detail.Exception?.StackTrace, Does.Contain(nameof(Create)), "control: the failure has a stack trace to leave out");
    }

    [Test]
    public async Task Status_RecoversAfterOutage_OneInformationLineWithTheOutageLength()
    {
        var (middleware, logs, clock, state) = Create(failing: true);
        for (var run = 0; run < 18; run++)
        {
            await StatusAsync(middleware);
            clock.Advance(Step);
        }

        state.Failing = false;
        for (var run = 0; run < 10; run++)
        {
            Assert.That(await StatusAsync(middleware), Is.EqualTo(200));
            clock.Advance(Step);
        }

        var information = Entries(logs, LogLevel.Information);
        Assert.That(information.Select(entry => entry.EventId.Name), Is.EqualTo(new[] { "HealthCheckRecovered" }));
        Assert.That(information[0].Message, Is.EqualTo("Health check 'queue' recovered after 90 s of failure (18 failed runs)."));
    }

    [Test]
    public async Task Status_FailsAgainAfterRecovery_LogsANewError()
    {
        var (middleware, logs, clock, state) = Create(failing: true);
        await StatusAsync(middleware);
        await StatusAsync(middleware);
        state.Failing = false;
        await StatusAsync(middleware);
        clock.Advance(Step);
        state.Failing = true;
        await StatusAsync(middleware);
        await StatusAsync(middleware);

        Assert.That(
            logs.Entries.Where(entry => entry.Level >= LogLevel.Information).Select(entry => entry.EventId.Name),
            Is.EqualTo(new[] { "HealthCheckFailed", "HealthCheckRecovered", "HealthCheckFailed" }));
    }

    [Test]
    public async Task Status_ManySuccessfulRuns_LogNothing()
    {
        var (middleware, logs, clock, _) = Create(failing: false);

        for (var run = 0; run < 20; run++)
        {
            Assert.That(await StatusAsync(middleware), Is.EqualTo(200), "control: every run executed the check");
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.That(logs.Entries, Is.Empty);
    }

    [Test]
    public async Task Status_CheckKeepsTimingOut_OneTimeoutErrorThenWarningsOnly()
    {
        var logs = new RecordingLoggerFactory();
        var clock = new FakeClock();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new HealthEndpointOptions
        {
            Redis = _ => release.Task,
            CheckTimeout = TimeSpan.FromMilliseconds(50),
            StatusCacheDuration = TimeSpan.Zero,
            Logger = logs.CreateLogger("health"),
            Clock = clock,
        };
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);

        for (var run = 0; run < 10; run++)
        {
            Assert.That(await StatusAsync(middleware), Is.EqualTo(503));
            clock.Advance(TimeSpan.FromSeconds(30));
        }

        release.SetResult();
        var names = logs.Entries.Select(entry => entry.EventId.Name).ToArray();
        Assert.That(names.Count(name => name == "HealthCheckTimedOut"), Is.EqualTo(1));
        Assert.That(names.Count(name => name == "HealthCheckStillFailing"), Is.InRange(1, 4), "270 s of fake time: at most four");
        Assert.That(names, Has.Length.EqualTo(names.Count(name => name is "HealthCheckTimedOut" or "HealthCheckStillFailing")));
        Assert.That(logs.Entries[^1].Message, Does.Contain("did not finish within its 50 ms deadline"));
    }

    private static (HealthEndpointMiddleware Middleware, RecordingLoggerFactory Logs, FakeClock Clock, FailureSwitch State) Create(bool failing)
    {
        var logs = new RecordingLoggerFactory();
        var clock = new FakeClock();
        var state = new FailureSwitch { Failing = failing };
        var options = new HealthEndpointOptions
        {
            StatusCacheDuration = TimeSpan.Zero,
            CheckTimeout = TimeSpan.FromSeconds(5),
            Logger = logs.CreateLogger("health"),
            Clock = clock,
        };
        options.Checks.Add(new NamedHealthCheck("queue", _ => state.Failing ? throw new InvalidOperationException("queue is down") : Task.CompletedTask));
        return (new HealthEndpointMiddleware(new RecordingApp().Invoke, options), logs, clock, state);
    }

    private static LogEntry[] Entries(RecordingLoggerFactory logs, LogLevel level) =>
        logs.Entries.Where(entry => entry.Level == level).ToArray();

    private static async Task<int> StatusAsync(HealthEndpointMiddleware middleware)
    {
        var environment = OwinEnvironment.Create("GET", "/healthz/status");
        await middleware.Invoke(environment);
        return environment.StatusCode();
    }

    private sealed class FailureSwitch
    {
        private int _failing;

        public bool Failing
        {
            get => Volatile.Read(ref _failing) == 1;
            set => Volatile.Write(ref _failing, value ? 1 : 0);
        }
    }

    private sealed class FakeClock : MonotonicClock
    {
        private long _ticks = TimeSpan.FromHours(1).Ticks;

        public override TimeSpan Now => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
