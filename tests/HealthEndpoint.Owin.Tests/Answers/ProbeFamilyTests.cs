using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests.Answers;

/// <summary>livez, readyz, startupz, per-check paths, ?verbose and ?exclude — and that all of them are off by default.</summary>
[TestFixture]
public sealed class ProbeFamilyTests
{
    [TestCase("/livez")]
    [TestCase("/readyz")]
    [TestCase("/startupz")]
    [TestCase("/healthz/status/database")]
    public async Task Invoke_ProbePathWithDefaultOptions_GoesToTheApp(string path)
    {
        var app = new RecordingApp();
        var middleware = new HealthEndpointMiddleware(app.Invoke, new HealthEndpointOptions());

        var environment = await ProbeFixture.SendAsync(middleware, "GET", path, query: "verbose&exclude=database");

        Assert.That(app.Calls, Is.EqualTo(1));
        Assert.That(environment.ResponseHeader("Set-Cookie"), Is.Not.Null, "the control: the app answers");
    }

    [Test]
    public async Task Invoke_QueryWithDefaultOptions_IsIgnoredByStatus()
    {
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, new HealthEndpointOptions { Database = ProbeFixture.Check("fail") });

        var environment = await ProbeFixture.SendAsync(middleware, "GET", "/healthz/status", query: "exclude=database");

        Assert.That(environment.StatusCode(), Is.EqualTo(503));
        Assert.That(environment.ResponseBodyText(), Is.EqualTo("""{"checks":{"database":"fail","redis":"skipped"},"status":"fail"}"""));
    }

    [TestCase("ok", "")]
    [TestCase("fail", "")]
    [TestCase("ok", "verbose")]
    public async Task Invoke_Livez_AnswersOkWithoutRunningChecks(string database, string query)
    {
        var app = new RecordingApp();
        var middleware = new HealthEndpointMiddleware(app.Invoke, ProbeFixture.AllOn(database));

        var environment = await ProbeFixture.SendAsync(middleware, "GET", "/LIVEZ/", query);

        Assert.That(environment.StatusCode(), Is.EqualTo(200));
        Assert.That(environment.ResponseBodyText(), Is.EqualTo(query == "" ? "ok" : "[+]ping ok\nlivez check passed\n"));
        Assert.That(environment.ResponseHeader("Content-Type"), Is.EqualTo("text/plain; charset=utf-8"));
        Assert.That(app.Calls, Is.Zero);
    }

    [TestCase("ok", "ok", "", 200, "ok")]
    [TestCase("ok", "skipped", "verbose", 200, "[+]database ok (N ms)\n[+]redis skipped\nreadyz check passed\n")]
    [TestCase("fail", "ok", "", 503, "[-]database fail\n[+]redis ok\nreadyz check failed\n")]
    [TestCase("fail", "ok", "exclude=database", 200, "ok")]
    [TestCase("fail", "ok", "exclude=database&verbose=1", 200, "[+]database skipped\n[+]redis ok (N ms)\nreadyz check passed\n")]
    [TestCase("fail", "fail", "exclude=database&exclude=redis", 200, "ok")]
    [TestCase("fail", "fail", "exclude=database,redis", 200, "ok")]
    [TestCase("fail", "ok", "exclude=nosuchcheck", 503, "[-]database fail\n[+]redis ok\nreadyz check failed\n")]
    [TestCase("ok", "ok", "verbose=false", 200, "ok")]
    public async Task Invoke_Readyz_FollowsChecksVerboseAndExclude(string database, string redis, string query, int status, string body)
    {
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, ProbeFixture.AllOn(database, redis));

        var environment = await ProbeFixture.SendAsync(middleware, "GET", "/readyz", query);

        Assert.That(environment.StatusCode(), Is.EqualTo(status));
        Assert.That(MeasuredTimes.Mask(environment.ResponseBodyText()), Is.EqualTo(body));
        Assert.That(environment.ResponseBodyText(), Does.Not.Contain("secret-marker"));
    }

    [TestCase("fail", "ok", "exclude=database", 200, """{"checks":{"database":"skipped","redis":"ok"},"status":"ok"}""")]
    [TestCase("fail", "fail", "exclude=redis", 503, """{"checks":{"database":"fail","redis":"skipped"},"status":"fail"}""")]
    [TestCase("ok", "fail", "exclude=REDIS&verbose", 200, """{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}""")]
    [TestCase("fail", "fail", "", 503, """{"checks":{"database":"fail","redis":"fail"},"status":"fail"}""")]
    public async Task Invoke_StatusWithExclude_ReportsExcludedAsSkipped(string database, string redis, string query, int status, string body)
    {
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, ProbeFixture.AllOn(database, redis));

        var environment = await ProbeFixture.SendAsync(middleware, "GET", "/healthz/status", query);

        Assert.That(environment.StatusCode(), Is.EqualTo(status));
        Assert.That(environment.ResponseBodyText(), Is.EqualTo(body));
    }

    [TestCase("/healthz/status/database", "fail", 503, """{"checks":{"database":"fail"},"status":"fail"}""")]
    [TestCase("/healthz/status/redis", "fail", 200, """{"checks":{"redis":"ok"},"status":"ok"}""")]
    [TestCase("/healthz/status/Database/", "ok", 200, """{"checks":{"database":"ok"},"status":"ok"}""")]
    [TestCase("/readyz/database", "fail", 503, "[-]database fail\nreadyz check failed\n")]
    [TestCase("/readyz/redis", "fail", 200, "ok")]
    public async Task Invoke_PerCheckPath_AnswersForThatCheckOnly(string path, string database, int status, string body)
    {
        var app = new RecordingApp();
        var middleware = new HealthEndpointMiddleware(app.Invoke, ProbeFixture.AllOn(database, "ok"));

        var environment = await ProbeFixture.SendAsync(middleware, "GET", path);

        Assert.That(environment.StatusCode(), Is.EqualTo(status));
        Assert.That(environment.ResponseBodyText(), Is.EqualTo(body));
        Assert.That(app.Calls, Is.Zero);
    }

    [TestCase("GET", "/healthz/status/nosuch")]
    [TestCase("POST", "/readyz/nosuch/")]
    public async Task Invoke_PerCheckPathForUnknownCheck_Returns404EmptyWithoutCallingApp(string method, string path)
    {
        var app = new RecordingApp();
        var middleware = new HealthEndpointMiddleware(app.Invoke, ProbeFixture.AllOn());

        var environment = await ProbeFixture.SendAsync(middleware, method, path);

        Assert.That(environment.StatusCode(), Is.EqualTo(404));
        Assert.That(environment.ResponseBodyBytes(), Is.Empty);
        Assert.That(environment.ResponseHeader("Content-Length"), Is.EqualTo("0"));
        Assert.That(app.Calls, Is.Zero);
    }

    [TestCase("/healthz/status/database/extra")]
    [TestCase("/healthz/status//")]
    [TestCase("/readyzx")]
    public async Task Invoke_PathsBesideTheProbes_GoToTheApp(string path)
    {
        var app = new RecordingApp();
        var middleware = new HealthEndpointMiddleware(app.Invoke, ProbeFixture.AllOn());

        await ProbeFixture.SendAsync(middleware, "GET", path);

        Assert.That(app.Calls, Is.EqualTo(1));
    }

    [Test]
    public async Task Invoke_Startupz_503UntilLifecycleMarkedStartedThen200()
    {
        var options = ProbeFixture.AllOn();
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, options);

        var before = await ProbeFixture.SendAsync(middleware, "GET", "/startupz");
        options.Lifecycle.MarkStarted();
        var after = await ProbeFixture.SendAsync(middleware, "GET", "/startupz");
        var verbose = await ProbeFixture.SendAsync(middleware, "GET", "/startupz", "verbose");

        Assert.That(before.StatusCode(), Is.EqualTo(503));
        Assert.That(before.ResponseBodyText(), Is.EqualTo("[-]started fail\nstartupz check failed\n"));
        Assert.That(after.StatusCode(), Is.EqualTo(200));
        Assert.That(after.ResponseBodyText(), Is.EqualTo("ok"));
        Assert.That(verbose.ResponseBodyText(), Is.EqualTo("[+]started ok\nstartupz check passed\n"));
    }

    [TestCase("PUT", "/livez")]
    [TestCase("POST", "/readyz")]
    [TestCase("DELETE", "/startupz")]
    [TestCase("PATCH", "/healthz/status/database")]
    public async Task Invoke_ProbeWithOtherMethod_Returns405(string method, string path)
    {
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, ProbeFixture.AllOn());

        var environment = await ProbeFixture.SendAsync(middleware, method, path);

        Assert.That(environment.StatusCode(), Is.EqualTo(405));
        Assert.That(environment.ResponseHeader("Allow"), Is.EqualTo("GET, HEAD"));
    }

    [TestCase("/livez")]
    [TestCase("/readyz")]
    [TestCase("/startupz")]
    [TestCase("/healthz/status/database")]
    public async Task Invoke_ProbeHead_SameHeadersAsGetAndNoBody(string path)
    {
        var middleware = new HealthEndpointMiddleware(new RecordingApp().Invoke, ProbeFixture.AllOn("fail"));

        var get = await ProbeFixture.SendAsync(middleware, "GET", path);
        var head = await ProbeFixture.SendAsync(middleware, "HEAD", path);

        Assert.That(head.ResponseBodyBytes(), Is.Empty);
        Assert.That(head.StatusCode(), Is.EqualTo(get.StatusCode()));
        Assert.That(head.ResponseHeader("Content-Length"), Is.EqualTo(get.ResponseHeader("Content-Length")));
        Assert.That(head.ResponseHeader("Content-Type"), Is.EqualTo(get.ResponseHeader("Content-Type")));
        Assert.That(head.ResponseHeader("Cache-Control"), Is.EqualTo("no-store, no-cache"));
    }
}
