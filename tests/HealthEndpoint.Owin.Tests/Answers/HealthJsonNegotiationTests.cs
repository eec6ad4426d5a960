using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests.Answers;

/// <summary>application/health+json is chosen by Accept, only when switched on; the RT JSON stays the default.</summary>
[TestFixture]
public sealed class HealthJsonNegotiationTests
{
    private const string HealthJson = "application/health+json";

    [TestCase("application/health+json")]
    [TestCase("application/health+json, application/json;q=0.9")]
    [TestCase("application/json;q=0.5,application/health+json;q=0.8")]
    [TestCase("APPLICATION/HEALTH+JSON; charset=utf-8")]
    public async Task Invoke_StatusAcceptingHealthJson_AnswersHealthJson(string accept)
    {
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, ProbeFixture.AllOn("ok", "fail"));

        var environment = await ProbeFixture.SendAsync(middleware, "GET", "/healthz/status", accept: accept);

        Assert.That(environment.ResponseHeader("Content-Type"), Is.EqualTo(HealthJson));
        Assert.That(environment.StatusCode(), Is.EqualTo(503));
        Assert.That(
            MeasuredTimes.Mask(environment.ResponseBodyText()),
            Is.EqualTo("""{"checks":{"database":[{"componentType":"datastore","observedUnit":"ms","observedValue":N,"status":"pass","time":"T"}],"redis":[{"componentType":"datastore","observedUnit":"ms","observedValue":N,"status":"fail","time":"T"}]},"status":"fail"}"""));
        Assert.That(environment.ResponseHeader("Content-Length"), Is.EqualTo(environment.ResponseBodyBytes().Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestCase(null)]
    [TestCase("*/*")]
    [TestCase("application/json")]
    [TestCase("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")]
    [TestCase("application/health+json;q=0")]
    [TestCase("application/health+json;q=0.5, application/json")]
    [TestCase("application/health+json;q=bogus")]
    public async Task Invoke_StatusWithoutPreferenceForHealthJson_AnswersRtJson(string? accept)
    {
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, ProbeFixture.AllOn("ok", "skipped"));

        var environment = await ProbeFixture.SendAsync(middleware, "GET", "/healthz/status", accept: accept);

        Assert.That(environment.ResponseHeader("Content-Type"), Is.EqualTo("application/json"));
        Assert.That(environment.ResponseBodyText(), Is.EqualTo("""{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}"""));
    }

    [Test]
    public async Task Invoke_HealthJsonSwitchedOff_AcceptIsIgnored()
    {
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, new HealthEndpointOptions { Database = ProbeFixture.Check("ok") });

        var environment = await ProbeFixture.SendAsync(middleware, "GET", "/healthz/status", accept: HealthJson);

        Assert.That(environment.ResponseHeader("Content-Type"), Is.EqualTo("application/json"));
        Assert.That(environment.ResponseBodyText(), Is.EqualTo("""{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}"""));
    }

    [TestCase("/healthz/ping", 200, """{"status":"pass"}""")]
    [TestCase("/livez", 200, """{"checks":{"ping":[{"status":"pass"}]},"status":"pass"}""")]
    [TestCase("/readyz", 200, """{"checks":{"database":[{"componentType":"datastore","observedUnit":"ms","observedValue":N,"status":"pass","time":"T"}]},"status":"pass"}""")]
    [TestCase("/healthz/status/redis", 200, """{"status":"pass"}""")]
    [TestCase("/startupz", 503, """{"checks":{"started":[{"status":"fail"}]},"status":"fail"}""")]
    public async Task Invoke_OtherPathsAcceptingHealthJson_AnswerHealthJson(string path, int status, string body)
    {
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, ProbeFixture.AllOn("ok", "skipped"));

        var environment = await ProbeFixture.SendAsync(middleware, "GET", path, accept: HealthJson);

        Assert.That(environment.StatusCode(), Is.EqualTo(status));
        Assert.That(environment.ResponseHeader("Content-Type"), Is.EqualTo(HealthJson));
        Assert.That(MeasuredTimes.Mask(environment.ResponseBodyText()), Is.EqualTo(body));
    }

    [Test]
    public async Task Invoke_PingWithoutHealthJsonAccept_StillPong()
    {
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, ProbeFixture.AllOn());

        var environment = await ProbeFixture.SendAsync(middleware, "GET", "/healthz/ping", accept: "*/*");

        Assert.That(environment.ResponseBodyText(), Is.EqualTo("pong"));
    }
}
