using System;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests;

/// <summary>The status body is byte-exact canonical JSON, and its HTTP status follows the executed checks.</summary>
[TestFixture]
public sealed class StatusBodyTests
{
    [TestCase("skipped", "skipped", 200, """{"checks":{"database":"skipped","redis":"skipped"},"status":"ok"}""")]
    [TestCase("ok", "skipped", 200, """{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}""")]
    [TestCase("ok", "ok", 200, """{"checks":{"database":"ok","redis":"ok"},"status":"ok"}""")]
    [TestCase("fail", "ok", 503, """{"checks":{"database":"fail","redis":"ok"},"status":"fail"}""")]
    [TestCase("ok", "fail", 503, """{"checks":{"database":"ok","redis":"fail"},"status":"fail"}""")]
    [TestCase("fail", "fail", 503, """{"checks":{"database":"fail","redis":"fail"},"status":"fail"}""")]
    [TestCase("skipped", "fail", 503, """{"checks":{"database":"skipped","redis":"fail"},"status":"fail"}""")]
    public async Task Invoke_StatusWithOutcomes_WritesExactBodyAndStatus(string database, string redis, int status, string body)
    {
        var options = new HealthEndpointOptions { Database = Check(database), Redis = Check(redis) };
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
        var environment = OwinEnvironment.Create("GET", "/healthz/status");

        await middleware.Invoke(environment);

        Assert.That(environment.ResponseBodyText(), Is.EqualTo(body));
        Assert.That(environment.StatusCode(), Is.EqualTo(status));
        Assert.That(environment.ResponseHeader("Content-Length"), Is.EqualTo(environment.ResponseBodyBytes().Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task Invoke_StatusWithCustomChecks_SortsKeysOrdinally()
    {
        var options = new HealthEndpointOptions { Database = Check("ok") };
        options.Checks.Add(new NamedHealthCheck("zookeeper", Check("ok")!));
        options.Checks.Add(new NamedHealthCheck("cache-2", Check("fail")!));
        options.Checks.Add(new NamedHealthCheck("queue.depth", Check("ok")!));
        options.Checks.Add(new NamedHealthCheck("a_b", Check("ok")!));
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);
        var environment = OwinEnvironment.Create("GET", "/healthz/status");

        await middleware.Invoke(environment);

        Assert.That(
            environment.ResponseBodyText(),
            Is.EqualTo("""{"checks":{"a_b":"ok","cache-2":"fail","database":"ok","queue.depth":"ok","redis":"skipped","zookeeper":"ok"},"status":"fail"}"""));
        Assert.That(environment.StatusCode(), Is.EqualTo(503));
    }

    [Test]
    public async Task Invoke_StatusBody_HasNoWhitespaceOrTrailingNewline()
    {
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, new HealthEndpointOptions { Database = Check("ok") });
        var environment = OwinEnvironment.Create("GET", "/healthz/status/");

        await middleware.Invoke(environment);

        var bytes = environment.ResponseBodyBytes();
        Assert.That(bytes, Has.None.EqualTo((byte)' ').And.None.EqualTo((byte)'\n').And.None.EqualTo((byte)'\r'));
        Assert.That(bytes[^1], Is.EqualTo((byte)'}'));
    }

    private static HealthCheck? Check(string outcome) => outcome switch
    {
        "ok" => _ => Task.CompletedTask,
        "fail" => _ => Task.FromException(new InvalidOperationException("down")),
        "skipped" => null,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };
}
