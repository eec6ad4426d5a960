using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace LegacyApp.Tests;

/// <summary>
/// LegacyApp as the README runs it: its own process, embedded defaults, configuration from environment
/// variables, a clean exit on SIGTERM, and a one-line error naming the key for bad settings.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class LegacyAppProcessTests
{
    [TestCase("HttpListener")]
    [TestCase("Kestrel")]
    public async Task Run_EmbeddedDefaults_StatusReportsSqliteOkThenStopsCleanlyOnSigterm(string server)
    {
        var port = FreeTcpPort.Next();
        using var app = Start(("Urls", $"http://127.0.0.1:{port}/"), ("Host__Server", server));
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        await Poll.UntilAsync(async () => (await client.GetAsync("/healthz/ping")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "LegacyApp answers ping");

        using var status = await client.GetAsync("/healthz/status");
        var body = await status.Content.ReadAsStringAsync();
        PosixSignal.TrySend(app.Process.Id, PosixSignal.Terminate);
        var exited = app.WaitForExit(TimeSpan.FromSeconds(15));

        Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body, Is.EqualTo("""{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}"""));
        Assert.That(exited, Is.True, "SIGTERM stops the app");
        Assert.That(app.Process.ExitCode, Is.Zero, app.Output);
        Assert.That(app.Output, Does.Contain($"listening on http://127.0.0.1:{port}/ ({server})").And.Contain("Stopped."));
        Assert.That(app.Output, Does.Contain($"[112] Now listening on: http://127.0.0.1:{port}/"), "the host's own line (event 112), through the sample's console logger");
    }

    // Kestrel binds what the prefix names: every IPv4 address for 0.0.0.0, only ::1 for [::1]; the control is the
    // IPv4 loopback connect to the [::1] port, refused.
    [Test]
    public async Task Run_KestrelOnAnyIpv4AndIpv6LoopbackUrls_AnswersOnEachAddress()
    {
        var anyPort = FreeTcpPort.Next();
        var ipv6Port = FreeTcpPort.Next();
        using var app = Start(("Urls", $"http://0.0.0.0:{anyPort}/;http://[::1]:{ipv6Port}/"), ("Host__Server", "Kestrel"));
        using var client = new HttpClient();
        var anyPing = new Uri($"http://127.0.0.1:{anyPort}/healthz/ping");
        await Poll.UntilAsync(async () => await PingsAsync(client, anyPing), TimeSpan.FromSeconds(30), "LegacyApp answers ping on 0.0.0.0");

        var ipv6 = await PingsAsync(client, new Uri($"http://[::1]:{ipv6Port}/healthz/ping"));
        var ipv4OnIpv6Port = await PingsAsync(client, new Uri($"http://127.0.0.1:{ipv6Port}/healthz/ping"));

        Assert.That((ipv6, ipv4OnIpv6Port), Is.EqualTo((true, false)), app.Output);
    }

    [TestCase("HealthEndpoint__PingPath", "ping", "HealthEndpoint:PingPath")]
    [TestCase("HealthEndpoint__CheckRedis", "maybe", "HealthEndpoint:CheckRedis")]
    [TestCase("Database__Provider", "Oracle", "Database:Provider")]
    [TestCase("Plugins__0", "RT::Extension::Missing", "unknown plugin 'RT::Extension::Missing'")]
    [TestCase("Host__DrainDelay", "5", "Host:DrainDelay must be a duration")]
    [TestCase("HealthEndpoint__ProbeQueries", "yes", "HealthEndpoint:ProbeQueries must be true or false")]
    [TestCase("Host__Server", "IIS", "Host:Server must be HttpListener or Kestrel")]
    [TestCase("Host__RequestHeadersTimeout", "00:00:05", "Host:RequestHeadersTimeout applies to the Kestrel host only")]
    public void Run_InvalidSetting_ExitsWithOneMessageNamingTheKey(string variable, string value, string expected)
    {
        // On the HttpListener host, where a Kestrel-only key is refused too; an invalid Host__Server replaces it.
        using var app = Start(("Urls", $"http://127.0.0.1:{FreeTcpPort.Next()}/"), ("Host__Server", "HttpListener"), (variable, value));

        var exited = app.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.That(exited, Is.True);
        Assert.That(app.Process.ExitCode, Is.EqualTo(2), app.Output);
        Assert.That(app.Errors, Does.Contain(expected));
        Assert.That(app.Errors, Does.Not.Contain("   at "), "no stack trace");
    }

    [TestCase("Host__RequestHeadersTimeout", "10", "Host:RequestHeadersTimeout must be a positive duration")]
    [TestCase("Host__MaxConnections", "0", "Host:MaxConnections must be a whole number from 1")]
    [TestCase("Host__MaxRequestLineSize", "8k", "Host:MaxRequestLineSize must be a whole number")]
    [TestCase("Host__MinRequestBodyDataRate", "-1", "Host:MinRequestBodyDataRate must be bytes per second")]
    [TestCase("Urls", "http://app.example:8080/", "Urls: The prefix 'http://app.example:8080/' cannot be served by Kestrel")]
    public void Run_InvalidKestrelSetting_ExitsWithOneMessageNamingTheKey(string variable, string value, string expected)
    {
        using var app = Start(("Urls", $"http://127.0.0.1:{FreeTcpPort.Next()}/"), ("Host__Server", "Kestrel"), (variable, value));

        var exited = app.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.That(exited, Is.True);
        Assert.That(app.Process.ExitCode, Is.EqualTo(2), app.Output);
        Assert.That(app.Errors, Does.Contain(expected));
        Assert.That(app.Errors, Does.Not.Contain("   at "), "no stack trace");
    }

    private static async Task<bool> PingsAsync(HttpClient client, Uri uri)
    {
        try
        {
            using var response = await client.GetAsync(uri);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    internal static RunningApp Start(params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(LegacyAppDll());
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new RunningApp(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
    }

    // The sample's own build output (it is built with the solution), where its native SQLite library sits.
    internal static string LegacyAppDll()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "HealthEndpoint.Owin.sln")))
        {
            root = root.Parent;
        }

        var output = Path.Combine(root!.FullName, "samples", "LegacyApp", "bin", configuration, "net10.0");
        return Directory.GetFiles(output, "LegacyApp.dll", SearchOption.AllDirectories).Single();
    }

    internal sealed class RunningApp : IDisposable
    {
        private readonly StringBuilder _output = new();
        private readonly StringBuilder _errors = new();

        public RunningApp(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, line) => Append(_output, line.Data);
            process.ErrorDataReceived += (_, line) => Append(_errors, line.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Output => Read(_output) + Read(_errors);

        public string Errors => Read(_errors);

        /// <summary>Waits for the exit and, once it happened, for the redirected output to be read to its end.</summary>
        public bool WaitForExit(TimeSpan timeout)
        {
            if (!Process.WaitForExit(timeout))
            {
                return false;
            }

            // Only the overload without a timeout waits for the asynchronous output readers to finish.
            Process.WaitForExit();
            return true;
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }

            Process.Dispose();
        }

        private static void Append(StringBuilder text, string? line)
        {
            if (line is not null)
            {
                lock (text)
                {
                    text.AppendLine(line);
                }
            }
        }

        private static string Read(StringBuilder text)
        {
            lock (text)
            {
                return text.ToString();
            }
        }
    }
}
