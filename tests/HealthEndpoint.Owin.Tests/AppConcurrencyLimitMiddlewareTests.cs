using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests;

/// <summary>The app's bound: 503 with Retry-After beyond it, permits returned however the app ends, health exempt when composed inside.</summary>
[TestFixture]
public sealed class AppConcurrencyLimitMiddlewareTests
{
    [Test]
    public async Task Invoke_BoundReached_Answers503WithRetryAfterWithoutCallingTheApp()
    {
        var hang = new TaskCompletionSource();
        var calls = 0;
        var limit = new AppConcurrencyLimitMiddleware(_ => { calls++; return hang.Task; }, 2, TimeSpan.FromSeconds(3));
        var running = new[] { limit.Invoke(OwinEnvironment.Create("GET", "/")), limit.Invoke(OwinEnvironment.Create("GET", "/")) };

        var rejected = OwinEnvironment.Create("GET", "/");
        await limit.Invoke(rejected);

        Assert.That((calls, limit.Running, limit.Rejected), Is.EqualTo((2, 2, 1L)), "control: two ran, the third did not");
        Assert.That(rejected.StatusCode(), Is.EqualTo(503));
        Assert.That(rejected.ResponseHeader("Retry-After"), Is.EqualTo("3"));
        Assert.That(rejected.ResponseHeader("Content-Length"), Is.EqualTo("0"));
        hang.SetResult();
        await Task.WhenAll(running);
        Assert.That(limit.Running, Is.Zero);
    }

    [Test]
    public async Task Invoke_AppCompletesFaultsOrThrows_PermitReturnedEachTime()
    {
        var outcomes = new Queue<Func<Task>>(new Func<Task>[]
        {
            () => Task.CompletedTask,
            async () => { await Task.Yield(); throw new InvalidOperationException("async fault"); },
            () => throw new InvalidOperationException("sync throw"),
            async () => await Task.Yield(),
        });
        var limit = new AppConcurrencyLimitMiddleware(_ => outcomes.Dequeue()(), 1, TimeSpan.FromSeconds(1));

        var results = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            try
            {
                await limit.Invoke(OwinEnvironment.Create("GET", "/"));
                results.Add("ok");
            }
            catch (InvalidOperationException exception)
            {
                results.Add(exception.Message);
            }
        }

        Assert.That(results, Is.EqualTo(new[] { "ok", "async fault", "sync throw", "ok" }));
        Assert.That((limit.Running, limit.Rejected), Is.EqualTo((0, 0L)), "a bound of 1 served all four in turn");
    }

    // Composed inside the health endpoint, as LegacyApp does: with the app's bound full, ping still answers 200;
    // the control is an app request at the same moment, answered 503.
    [Test]
    public async Task ComposedInsideHealthEndpoint_AppBoundFull_PingAnswers200AndAppGets503()
    {
        var hang = new TaskCompletionSource();
        var limit = new AppConcurrencyLimitMiddleware(_ => hang.Task, 1, TimeSpan.FromSeconds(1));
        var health = new HealthEndpointMiddleware(limit.Invoke, new HealthEndpointOptions());
        var stuck = health.Invoke(OwinEnvironment.Create("GET", "/"));

        var ping = OwinEnvironment.Create("GET", "/healthz/ping");
        await health.Invoke(ping);
        var app = OwinEnvironment.Create("GET", "/tickets");
        await health.Invoke(app);

        Assert.That((ping.StatusCode(), app.StatusCode()), Is.EqualTo((200, 503)));
        hang.SetResult();
        await stuck;
    }

    [TestCase(0, 1)]
    [TestCase(1, 0)]
    public void Create_InvalidBoundOrRetryAfter_Throws(int bound, int retryAfterSeconds)
    {
        Assert.That(
            () => new AppConcurrencyLimitMiddleware(_ => Task.CompletedTask, bound, TimeSpan.FromSeconds(retryAfterSeconds)),
            Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public async Task Invoke_ManyRejections_OneSaturationWarningPerInterval()
    {
        using var loggers = new RecordingLoggerFactory();
        var limit = new AppConcurrencyLimitMiddleware(_ => new TaskCompletionSource().Task, 1, TimeSpan.FromSeconds(1), loggers.CreateLogger("app"));
        _ = limit.Invoke(OwinEnvironment.Create("GET", "/"));

        for (var i = 0; i < 100; i++)
        {
            await limit.Invoke(OwinEnvironment.Create("GET", "/"));
        }

        Assert.That(limit.Rejected, Is.EqualTo(100));
        Assert.That(loggers.Entries.Count(entry => entry.Message.Contains("answered 503", StringComparison.Ordinal)), Is.EqualTo(1));
    }
}
