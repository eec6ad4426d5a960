using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.HealthChecks.Tests;

/// <summary>How an ASP.NET Core check's result becomes <c>ok</c> or <c>fail</c> in the status body, and what it is given.</summary>
[TestFixture]
public sealed class HealthCheckAdapterTests
{
    private const string Secret = "Host=db.internal;Password=hunter2";

    [TestCase(HealthStatus.Healthy, false, "ok")]
    [TestCase(HealthStatus.Degraded, false, "ok")]
    [TestCase(HealthStatus.Degraded, true, "fail")]
    [TestCase(HealthStatus.Unhealthy, false, "fail")]
    [TestCase(HealthStatus.Unhealthy, true, "fail")]
    [TestCase(HealthStatus.Healthy, true, "ok")]
    public async Task Status_CheckReportsStatus_MapsToOkOrFail(HealthStatus status, bool failOnDegraded, string expected)
    {
        var check = StubHealthCheck.Returning(new HealthCheckResult(status, "described " + Secret));
        var (code, body, _) = await StatusAsync(check, new HealthCheckAdapterOptions { FailOnDegraded = failOnDegraded });

        Assert.That(body, Is.EqualTo($$"""{"checks":{"database":"skipped","queue":"{{expected}}","redis":"skipped"},"status":"{{expected}}"}"""));
        Assert.That(code, Is.EqualTo(expected == "ok" ? 200 : 503));
    }

    [Test]
    public async Task Status_CheckUnhealthy_LogsDescriptionAndExceptionNotInResponse()
    {
        var cause = new InvalidOperationException("cause " + Secret);
        var check = StubHealthCheck.Returning(HealthCheckResult.Unhealthy("described " + Secret, cause));
        var (_, body, log) = await StatusAsync(check, null);

        var error = log.Entries.Single(entry => entry.Level == LogLevel.Debug);
        Assert.That(error.Message, Does.Contain("'queue'"));
        Assert.That(error.Exception, Is.TypeOf<HealthCheckResultException>());
        Assert.That(error.Exception!.Message, Is.EqualTo("Unhealthy: described " + Secret));
        Assert.That(error.Exception.InnerException, Is.SameAs(cause));
        Assert.That(body, Does.Not.Contain("hunter2").And.Not.Contain("described"));
    }

    [Test]
    public async Task Status_CheckThrows_ReportsFailAndLogsTheException()
    {
        var check = new StubHealthCheck((_, _) => throw new TimeoutException("thrown " + Secret));
        var (code, body, log) = await StatusAsync(check, null);

        Assert.That((code, body.Contains("\"queue\":\"fail\"", StringComparison.Ordinal)), Is.EqualTo((503, true)));
        Assert.That(log.Entries.Single(entry => entry.Level == LogLevel.Debug).Exception, Is.TypeOf<TimeoutException>());
        Assert.That(body, Does.Not.Contain("hunter2"));
    }

    [Test]
    public async Task Status_CheckHangsIgnoringItsToken_ReportsFailAtTheDeadline()
    {
        using var never = new SemaphoreSlim(0);
        var check = new StubHealthCheck(async (_, _) =>
        {
            await never.WaitAsync(CancellationToken.None); // ignores its token, as drivers against a frozen server do
            return HealthCheckResult.Healthy();
        });
        var started = System.Diagnostics.Stopwatch.StartNew();
        var (code, _, _) = await StatusAsync(check, null, TimeSpan.FromMilliseconds(300));

        Assert.That(code, Is.EqualTo(503));
        Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromMilliseconds(300 + 250)));
        never.Release();
    }

    [Test]
    public async Task CheckAsync_ContextAsAspNetCoreBuildsIt_NameFailureStatusTimeoutTags()
    {
        var check = StubHealthCheck.Returning(HealthCheckResult.Healthy());
        var adapterOptions = new HealthCheckAdapterOptions();
        adapterOptions.Tags.Add("db");
        await StatusAsync(check, adapterOptions, TimeSpan.FromMilliseconds(1500));

        var registration = check.LastContext!.Registration;
        Assert.That(registration, Is.Not.Null, "Xabaril's checks read context.Registration.FailureStatus");
        Assert.That(
            (registration.Name, registration.FailureStatus, registration.Timeout, registration.Tags.ToArray()),
            Is.EqualTo(("queue", HealthStatus.Unhealthy, TimeSpan.FromMilliseconds(1500), new[] { "db" })));
        Assert.That(registration.Factory(null!), Is.SameAs(check));
        Assert.That(check.LastToken.CanBeCanceled, Is.True);
    }

    [Test]
    public async Task CheckAsync_OwnTimeoutShorterThanDeadline_TokenCancelledAtIt()
    {
        var check = new StubHealthCheck(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return HealthCheckResult.Healthy();
        });
        var adapter = new HealthCheckAdapter("queue", check, new HealthCheckAdapterOptions { Timeout = TimeSpan.FromMilliseconds(50) });

        Assert.That(async () => await adapter.CheckAsync(CancellationToken.None), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(check.LastContext!.Registration.Timeout, Is.EqualTo(TimeSpan.FromMilliseconds(50)));
    }

    [Test]
    public async Task CheckAsync_DegradedManyTimesThenHealthy_LogsOneWarningAndOneRecovery()
    {
        var status = HealthStatus.Degraded;
        var check = new StubHealthCheck((_, _) => Task.FromResult(new HealthCheckResult(status, "slow")));
        using var log = new RecordingLoggerFactory();
        var adapter = new HealthCheckAdapter("queue", check, new HealthCheckAdapterOptions { Logger = log.CreateLogger("test") });

        for (var i = 0; i < 5; i++)
        {
            await adapter.CheckAsync(CancellationToken.None);
        }

        status = HealthStatus.Healthy;
        await adapter.CheckAsync(CancellationToken.None);
        await adapter.CheckAsync(CancellationToken.None);

        Assert.That(
            log.Entries.Select(entry => (entry.Level, entry.EventId.Name)),
            Is.EqualTo(new[] { (LogLevel.Warning, "HealthCheckDegraded"), (LogLevel.Information, "HealthCheckNoLongerDegraded") }));
        Assert.That(log.Entries[0].Message, Does.Contain("'queue'").And.Contain("slow"));
    }

    [Test]
    public void AddHealthCheck_InvalidName_RejectedWhenTheMiddlewareIsCreated()
    {
        var options = new HealthEndpointOptions();
        options.AddHealthCheck("Not Valid", StubHealthCheck.Returning(HealthCheckResult.Healthy()));

        Assert.That(
            () => new HealthEndpointMiddleware(new RecordingApp().Invoke, options),
            Throws.InstanceOf<HealthEndpointConfigurationException>().With.Message.Contain("Not Valid"));
    }

    private static async Task<(int Code, string Body, RecordingLoggerFactory Log)> StatusAsync(
        IHealthCheck check, HealthCheckAdapterOptions? adapterOptions, TimeSpan? checkTimeout = null)
    {
        var log = new RecordingLoggerFactory();
        var options = new HealthEndpointOptions { StatusCacheDuration = TimeSpan.Zero, Logger = log.CreateLogger("HealthEndpoint") };
        options.AddHealthCheck("queue", check, adapterOptions);
        options.CheckTimeout = checkTimeout ?? TimeSpan.FromSeconds(2); // set after registering: read when the check runs
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
        var environment = OwinEnvironment.Create("GET", "/healthz/status");
        await middleware.Invoke(environment);
        return (environment.StatusCode(), environment.ResponseBodyText(), log);
    }
}
