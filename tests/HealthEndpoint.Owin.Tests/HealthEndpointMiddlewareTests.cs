using System.Collections.Generic;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Tests;

/// <summary>
/// What the health paths answer and what passes through to the app: every method on and beside the ping and status
/// paths, case, trailing slashes, query strings and path bases, with exact headers and bodies and no server in the way.
/// </summary>
[TestFixture]
public sealed class HealthEndpointMiddlewareTests
{
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "PURGE"];

    private static readonly string[] HealthPaths =
    [
        "/healthz/ping", "/healthz/ping/", "/HEALTHZ/PING", "/Healthz/Ping/",
        "/healthz/status", "/healthz/status/", "/HealthZ/Status", "/HEALTHZ/STATUS/",
    ];

    private static readonly string[] OtherPaths =
    [
        "/", "/healthz", "/healthz/", "/healthz/pingx", "/healthz/ping//", "/healthz/ping/x", "/xhealthz/ping",
        "/healthz/statusx", "/healthz/status/database", "/healthz/pin", "", "/index.html",
    ];

    private RecordingApp _app = null!;
    private HealthEndpointMiddleware _middleware = null!;

    [SetUp]
    public void SetUp()
    {
        _app = new RecordingApp();
        _middleware = new HealthEndpointMiddleware(_app.Invoke, new HealthEndpointOptions());
    }

    [Test]
    public async Task Invoke_PingGet_Returns200PongWithExactHeaders()
    {
        var environment = OwinEnvironment.Create("GET", "/healthz/ping");

        await _middleware.Invoke(environment);

        Assert.Multiple(() =>
        {
            Assert.That(environment.StatusCode(), Is.EqualTo(200));
            Assert.That(environment.ResponseBodyText(), Is.EqualTo("pong"));
            Assert.That(environment.ResponseHeader("Content-Type"), Is.EqualTo("text/plain; charset=utf-8"));
            Assert.That(environment.ResponseHeader("Content-Length"), Is.EqualTo("4"));
            Assert.That(environment.ResponseHeader("Cache-Control"), Is.EqualTo("no-store, no-cache"));
            Assert.That(environment.ResponseHeader("X-Content-Type-Options"), Is.EqualTo("nosniff"));
            Assert.That(environment.ResponseHeaders().Keys, Has.Count.EqualTo(4));
            Assert.That(_app.Calls, Is.Zero);
        });
    }

    [Test]
    public async Task Invoke_PingHead_SameHeadersAndNoBody()
    {
        var get = OwinEnvironment.Create("GET", "/healthz/ping");
        var head = OwinEnvironment.Create("HEAD", "/healthz/ping");

        await _middleware.Invoke(get);
        await _middleware.Invoke(head);

        Assert.Multiple(() =>
        {
            Assert.That(head.StatusCode(), Is.EqualTo(200));
            Assert.That(head.ResponseBodyBytes(), Is.Empty);
            Assert.That(head.ResponseHeaders(), Is.EquivalentTo(get.ResponseHeaders()));
            Assert.That(head.ResponseHeader("Content-Length"), Is.EqualTo("4"));
        });
    }

    [Test]
    public async Task Invoke_StatusGetWithNoChecks_Returns200WithCanonicalJson()
    {
        var environment = OwinEnvironment.Create("GET", "/healthz/status");

        await _middleware.Invoke(environment);

        const string expected = """{"checks":{"database":"skipped","redis":"skipped"},"status":"ok"}""";
        Assert.Multiple(() =>
        {
            Assert.That(environment.StatusCode(), Is.EqualTo(200));
            Assert.That(environment.ResponseBodyText(), Is.EqualTo(expected));
            Assert.That(environment.ResponseHeader("Content-Type"), Is.EqualTo("application/json"));
            Assert.That(environment.ResponseHeader("Content-Length"), Is.EqualTo(expected.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(environment.ResponseHeader("Cache-Control"), Is.EqualTo("no-store, no-cache"));
            Assert.That(environment.ResponseHeader("X-Content-Type-Options"), Is.EqualTo("nosniff"));
            Assert.That(_app.Calls, Is.Zero);
        });
    }

    [Test]
    public async Task Invoke_StatusHead_SameHeadersAsGetAndNoBody()
    {
        var get = OwinEnvironment.Create("GET", "/healthz/status");
        var head = OwinEnvironment.Create("HEAD", "/healthz/status");

        await _middleware.Invoke(get);
        await _middleware.Invoke(head);

        Assert.Multiple(() =>
        {
            Assert.That(head.StatusCode(), Is.EqualTo(get.StatusCode()));
            Assert.That(head.ResponseBodyBytes(), Is.Empty);
            Assert.That(head.ResponseHeaders(), Is.EquivalentTo(get.ResponseHeaders()));
        });
    }

    [Test]
    public async Task Invoke_MethodMatrixOnHealthPaths_AnswersWithoutCallingApp(
        [ValueSource(nameof(Methods))] string method,
        [ValueSource(nameof(HealthPaths))] string path)
    {
        var environment = OwinEnvironment.Create(method, path);

        await _middleware.Invoke(environment);

        var allowed = method is "GET" or "HEAD";
        Assert.Multiple(() =>
        {
            Assert.That(_app.Calls, Is.Zero, "a health request must never reach the app");
            Assert.That(environment.StatusCode(), Is.EqualTo(allowed ? 200 : 405));
            Assert.That(environment.ResponseHeaders().ContainsKey("Set-Cookie"), Is.False);
            Assert.That(environment.ResponseHeader("Cache-Control"), Is.EqualTo("no-store, no-cache"));
            Assert.That(environment.ResponseHeader("X-Content-Type-Options"), Is.EqualTo("nosniff"));
            if (method != "GET")
            {
                Assert.That(environment.ResponseBodyBytes(), Is.Empty, "only GET puts a body in the response");
            }

            if (!allowed)
            {
                Assert.That(environment.ResponseHeader("Allow"), Is.EqualTo("GET, HEAD"));
                Assert.That(environment.ResponseHeader("Content-Length"), Is.EqualTo("0"));
                Assert.That(environment.ResponseHeaders().ContainsKey("Content-Type"), Is.False);
            }
        });
    }

    [Test]
    public async Task Invoke_MethodMatrixOnOtherPaths_CallsAppWithSameEnvironment(
        [ValueSource(nameof(Methods))] string method,
        [ValueSource(nameof(OtherPaths))] string path)
    {
        var environment = OwinEnvironment.Create(method, path);
        var before = new Dictionary<string, object>(environment);

        await _middleware.Invoke(environment);

        Assert.Multiple(() =>
        {
            Assert.That(_app.Calls, Is.EqualTo(1));
            Assert.That(_app.Environments[0], Is.SameAs(environment));
            Assert.That(environment.ResponseHeaders().ContainsKey("Set-Cookie"), Is.True, "control: the app does create sessions");
            foreach (var pair in before)
            {
                Assert.That(environment[pair.Key], Is.SameAs(pair.Value), $"{pair.Key} must reach the app untouched");
            }
        });
    }

    [TestCase("GET", "/healthz/ping", "?verbose=1")]
    [TestCase("HEAD", "/healthz/status", "a=b&c")]
    public async Task Invoke_QueryString_IsIgnored(string method, string path, string query)
    {
        var environment = OwinEnvironment.Create(method, path, queryString: query);

        await _middleware.Invoke(environment);

        Assert.That(environment.StatusCode(), Is.EqualTo(200));
        Assert.That(_app.Calls, Is.Zero);
    }

    [TestCase("/rt", "/healthz/ping", 200, 0)]
    [TestCase("/healthz", "/ping", 200, 1)]
    [TestCase("/app/healthz", "/status", 200, 1)]
    public async Task Invoke_PathBase_IsNotPartOfTheMatch(string pathBase, string path, int status, int appCalls)
    {
        var environment = OwinEnvironment.Create("GET", path, pathBase);

        await _middleware.Invoke(environment);

        Assert.That(environment.StatusCode(), Is.EqualTo(status));
        Assert.That(_app.Calls, Is.EqualTo(appCalls));
    }

    [TestCase("get")]
    [TestCase("Head")]
    public async Task Invoke_MethodInOtherCase_Returns405(string method)
    {
        var environment = OwinEnvironment.Create(method, "/healthz/ping");

        await _middleware.Invoke(environment);

        Assert.That(environment.StatusCode(), Is.EqualTo(405));
    }

    [Test]
    public async Task Invoke_ConfiguredPathsWithTrailingSlash_MatchWithAndWithoutIt()
    {
        var middleware = new HealthEndpointMiddleware(_app.Invoke, new HealthEndpointOptions { PingPath = "/-/ping/", StatusPath = "/-/status" });

        foreach (var path in new[] { "/-/ping", "/-/ping/", "/-/STATUS/" })
        {
            var environment = OwinEnvironment.Create("GET", path);
            await middleware.Invoke(environment);
            Assert.That(environment.StatusCode(), Is.EqualTo(200), path);
        }

        var old = OwinEnvironment.Create("GET", "/healthz/ping");
        await middleware.Invoke(old);
        Assert.That(_app.Calls, Is.EqualTo(1), "the default path is not answered once another is configured");
    }

    [Test]
    public async Task Invoke_NoRequestPath_CallsApp()
    {
        var environment = OwinEnvironment.Create("GET", "/healthz/ping");
        environment.Remove("owin.RequestPath");

        await _middleware.Invoke(environment);

        Assert.That(_app.Calls, Is.EqualTo(1));
    }

    [Test]
    public async Task Wrap_ReturnsAppFuncWithSameBehaviour()
    {
        var wrapped = HealthEndpointMiddleware.Wrap(_app.Invoke, new HealthEndpointOptions());
        var ping = OwinEnvironment.Create("GET", "/healthz/ping");
        var other = OwinEnvironment.Create("GET", "/ticket/1");

        await wrapped(ping);
        await wrapped(other);

        Assert.That(ping.ResponseBodyText(), Is.EqualTo("pong"));
        Assert.That(_app.Calls, Is.EqualTo(1));
    }

    [Test]
    public void Constructor_FollowsOwinMiddlewareClassConvention()
    {
        // Katana's app.Use(typeof(T), args) finds a public (AppFunc next, ...args) constructor and a public
        // Task Invoke(IDictionary<string, object>) method by reflection.
        var type = typeof(HealthEndpointMiddleware);
        var constructor = type.GetConstructor([typeof(System.Func<IDictionary<string, object>, Task>), typeof(HealthEndpointOptions)]);
        var invoke = type.GetMethod("Invoke", [typeof(IDictionary<string, object>)]);

        Assert.That(constructor, Is.Not.Null);
        Assert.That(invoke?.ReturnType, Is.EqualTo(typeof(Task)));
    }
}
