using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests;

/// <summary>
/// What the runner logs when a check fails or times out: the check's name at error level, the exception at debug,
/// and never either in the response.
/// </summary>
[TestFixture]
public sealed class HealthCheckRunnerLogTests
{
    [Test]
    public async Task Runner_ThrowingCheck_ReportsFailLogsExceptionAndKeepsItOutOfResponse()
    {
        const string Secret = "SECRET-7f3a host=db.internal password=hunter2";
        var logs = new RecordingLoggerFactory();
        var options = Options(database: _ => throw new InvalidOperationException(Secret));
        options.Checks.Add(new NamedHealthCheck("queue", _ => Task.FromException(new TimeoutException(Secret))));
        options.Logger = logs.CreateLogger("health");
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
        var environment = OwinEnvironment.Create("GET", "/healthz/status");

        await middleware.Invoke(environment);

        var response = environment.ResponseBodyText() + string.Join("\n", environment.ResponseHeaders().SelectMany(header => header.Value.Prepend(header.Key)));
        var errors = logs.Entries.Where(entry => entry.Level == LogLevel.Error).ToArray();
        var details = logs.Entries.Where(entry => entry.Level == LogLevel.Debug).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(environment.StatusCode(), Is.EqualTo(503));
            Assert.That(environment.ResponseBodyText(), Is.EqualTo("""{"checks":{"database":"fail","queue":"fail","redis":"skipped"},"status":"fail"}"""));
            Assert.That(response, Does.Not.Contain("SECRET-7f3a").And.Not.Contain("hunter2").And.Not.Contain("Exception"));
            Assert.That(errors, Has.Length.EqualTo(2));
            Assert.That(details.Select(entry => entry.Exception?.Message), Is.EqualTo(new[] { Secret, Secret }), "the log carries the exception (at debug)");
            Assert.That(errors.Select(entry => entry.Message), Has.Some.Contains("'database'").And.Some.Contains("'queue'"));
        });
    }

    [Test]
    public async Task Runner_CheckTimesOut_LogsTheCheckNameAtErrorLevel()
    {
        var logs = new RecordingLoggerFactory();
        var options = Options(redis: _ => new TaskCompletionSource().Task);
        options.Logger = logs.CreateLogger("health");
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);

        await StatusAsync(middleware);

        var entry = logs.Entries.Single();
        Assert.That(entry.Level, Is.EqualTo(LogLevel.Error));
        Assert.That(entry.Message, Does.Contain("'redis'").And.Contain("400 ms"));
    }

    private static HealthEndpointOptions Options(HealthCheck? database = null, HealthCheck? redis = null) => new()
    {
        Database = database,
        Redis = redis,
        CheckTimeout = TimeSpan.FromMilliseconds(400),
        StatusCacheDuration = TimeSpan.Zero,
    };

    private static async Task StatusAsync(HealthEndpointMiddleware middleware) =>
        await middleware.Invoke(OwinEnvironment.Create("GET", "/healthz/status"));
}
