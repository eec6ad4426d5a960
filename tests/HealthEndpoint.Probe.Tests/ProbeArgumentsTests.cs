using System;
using HealthEndpoint.Probe;

namespace HealthEndpoint.Probe.Tests;

/// <summary>The command line: defaults, every option, and one clear message for every bad input.</summary>
[TestFixture]
public sealed class ProbeArgumentsTests
{
    [Test]
    public void Parse_UrlOnly_UsesContainerModeWith2xxAndTenSeconds()
    {
        var arguments = ProbeArguments.Parse(["http://127.0.0.1:8080/healthz/ping"]);

        Assert.That(arguments.Url, Is.EqualTo(new Uri("http://127.0.0.1:8080/healthz/ping")));
        Assert.That(arguments.Monitoring, Is.False);
        Assert.That(arguments.Expect.ToString(), Is.EqualTo("2xx"));
        Assert.That(arguments.Timeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(arguments.Warning, Is.Null);
        Assert.That(arguments.Critical, Is.Null);
    }

    [Test]
    public void Parse_EveryOption_ReadsEachValue()
    {
        var arguments = ProbeArguments.Parse(
            ["--plugin", "-e", "200,204", "--timeout=2s", "https://app.example/healthz/status", "-w", "500ms", "--critical", "1.5"]);

        Assert.That(arguments.Url, Is.EqualTo(new Uri("https://app.example/healthz/status")));
        Assert.That(arguments.Monitoring, Is.True);
        Assert.That(arguments.Expect.ToString(), Is.EqualTo("200,204"));
        Assert.That(arguments.Timeout, Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(arguments.Warning, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
        Assert.That(arguments.Critical, Is.EqualTo(TimeSpan.FromSeconds(1.5)));
    }

    [TestCase("2s", 2000)]
    [TestCase("1.5s", 1500)]
    [TestCase("500ms", 500)]
    [TestCase("3", 3000)]
    [TestCase("0.25", 250)]
    [TestCase("3600s", 3_600_000)]
    public void Parse_Timeout_AcceptsSecondsAndMilliseconds(string text, int milliseconds)
    {
        var arguments = ProbeArguments.Parse(["http://h/", "--timeout", text]);

        Assert.That(arguments.Timeout, Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [TestCase("2xx", 200, true)]
    [TestCase("2xx", 299, true)]
    [TestCase("2xx", 301, false)]
    [TestCase("200", 204, false)]
    [TestCase("200,204", 204, true)]
    [TestCase("2XX,301", 301, true)]
    [TestCase("5xx", 503, true)]
    [TestCase(" 200 , 204 ", 204, true)]
    public void Parse_Expect_MatchesCodesAndClasses(string expect, int statusCode, bool matches)
    {
        var arguments = ProbeArguments.Parse(["http://h/", "--expect", expect]);

        Assert.That(arguments.Expect.Matches(statusCode), Is.EqualTo(matches));
    }

    [TestCase("--help")]
    [TestCase("-h")]
    public void Parse_Help_WinsOverBadArguments(string option)
    {
        var arguments = ProbeArguments.Parse(["--frob", option, "not a url"]);

        Assert.That(arguments.Help, Is.True);
    }

    [TestCase(new string[0], "missing URL, e.g. healthendpoint-probe http://127.0.0.1:8080/healthz/ping (see --help)")]
    [TestCase(new[] { "http//127.0.0.1:8080/healthz" }, "invalid URL 'http//127.0.0.1:8080/healthz': expected an absolute http:// or https:// URL")]
    [TestCase(new[] { "/healthz/ping" }, "invalid URL '/healthz/ping': expected an absolute http:// or https:// URL")]
    [TestCase(new[] { "ftp://h/healthz" }, "invalid URL 'ftp://h/healthz': expected an absolute http:// or https:// URL")]
    [TestCase(new[] { "http://h/", "http://g/" }, "unexpected argument 'http://g/': give exactly one URL")]
    [TestCase(new[] { "http://h/", "--frob" }, "unknown option '--frob' (see --help)")]
    [TestCase(new[] { "http://h/", "--plugin=yes" }, "unknown option '--plugin=yes' (see --help)")]
    [TestCase(new[] { "http://h/", "--timeout" }, "option --timeout needs a value (see --help)")]
    [TestCase(new[] { "http://h/", "--timeout", "0" }, "invalid --timeout '0': use a positive duration up to 1 hour like 2s, 1.5s or 500ms")]
    [TestCase(new[] { "http://h/", "--timeout", "2 minutes" }, "invalid --timeout '2 minutes': use a positive duration up to 1 hour like 2s, 1.5s or 500ms")]
    [TestCase(new[] { "http://h/", "--timeout", "3601s" }, "invalid --timeout '3601s': use a positive duration up to 1 hour like 2s, 1.5s or 500ms")]
    [TestCase(new[] { "http://h/", "--timeout", "-1" }, "invalid --timeout '-1': use a positive duration up to 1 hour like 2s, 1.5s or 500ms")]
    [TestCase(new[] { "http://h/", "--expect", "2yy" }, "invalid --expect '2yy': use status codes and classes like 2xx or 200,204")]
    [TestCase(new[] { "http://h/", "--expect", "600" }, "invalid --expect '600': use status codes and classes like 2xx or 200,204")]
    [TestCase(new[] { "http://h/", "--expect", "200," }, "invalid --expect '200,': use status codes and classes like 2xx or 200,204")]
    [TestCase(new[] { "http://h/", "--warning", "1s" }, "--warning and --critical need --plugin")]
    [TestCase(new[] { "http://h/", "--plugin", "-w", "2s", "-c", "1s" }, "--warning must not be longer than --critical")]
    [TestCase(new[] { "http://h/", "--fr\nob" }, "unknown option '--fr?ob' (see --help)")]
    public void Parse_BadInput_ThrowsOneLineMessage(string[] args, string message)
    {
        var exception = Assert.Throws<ProbeUsageException>(() => ProbeArguments.Parse(args));

        Assert.That(exception!.Message, Is.EqualTo(message));
    }

    [Test]
    public void Parse_VeryLongBadValue_QuotesAtMostEightyCharacters()
    {
        var exception = Assert.Throws<ProbeUsageException>(() => ProbeArguments.Parse(["http://h/", "--expect", new string('9', 500)]));

        Assert.That(exception!.Message, Is.EqualTo($"invalid --expect '{new string('9', 77)}...': use status codes and classes like 2xx or 200,204"));
    }
}
