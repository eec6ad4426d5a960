using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Testing;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c>) on a free loopback port, with its own temp configuration and data
/// directory, scraping one target every second. Disposing it stops it by PID and deletes the directory.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    /// <summary>The command that installs Prometheus and promtool.</summary>
    public const string InstallCommand = "apt-get install -y --no-install-recommends prometheus";

    /// <summary>Debian's Prometheus server.</summary>
    public const string ServerPath = "/usr/bin/prometheus";

    private readonly ProgramProcess _process;
    private readonly string _directory;
    private readonly HttpClient _client;

    private PrometheusServer(ProgramProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
        _client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The HTTP API's port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Its output so far, for assertion messages.</summary>
    public string Output => _process.Output;

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (<c>127.0.0.1:port</c>) at <paramref name="metricsPath"/> every second; returns once it is ready.</summary>
    /// <exception cref="InvalidOperationException">Prometheus is not installed; the message has the install command.</exception>
    public static Task<PrometheusServer> StartAsync(string target, string metricsPath) => StartAsync($"""
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
          - job_name: legacyapp
            metrics_path: {metricsPath}
            static_configs:
              - targets: ['{target}']
        """, new Dictionary<string, string>());

    /// <summary>
    /// Starts Prometheus with <paramref name="configuration"/> as its whole <c>prometheus.yml</c>, and
    /// <paramref name="files"/> (name → text, e.g. a rules file the configuration names relatively) beside it;
    /// returns once it is ready.
    /// </summary>
    /// <exception cref="InvalidOperationException">Prometheus is not installed (the message has the install command), or it exited.</exception>
    public static async Task<PrometheusServer> StartAsync(string configuration, IReadOnlyDictionary<string, string> files)
    {
        if (!File.Exists(ServerPath))
        {
            throw new InvalidOperationException($"{ServerPath} is missing; install it with: {InstallCommand}");
        }

        var directory = Directory.CreateTempSubdirectory("healthendpoint-prometheus-").FullName;
        var configurationPath = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configurationPath, configuration);
        foreach (var (name, text) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, name), text);
        }

        var port = FreeTcpPort.Next();
        var command = new ProgramCommand(ServerPath,
        [
            "--config.file=" + configurationPath,
            "--storage.tsdb.path=" + Path.Combine(directory, "data"),
            $"--web.listen-address=127.0.0.1:{port}",
            "--log.level=warn",
        ]);
        var server = new PrometheusServer(ProgramProcess.Start(command), directory, port);
        try
        {
            await Poll.UntilAsync(server.IsReadyAsync, TimeSpan.FromSeconds(30), "Prometheus answers /-/ready");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs an instant query through <c>/api/v1/query</c>; returns each series' labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string query)
    {
        using var document = await GetApiAsync("api/v1/query?query=" + Uri.EscapeDataString(query));
        var series = new List<(IReadOnlyDictionary<string, string>, double)>();
        foreach (var result in document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var label in result.GetProperty("metric").EnumerateObject())
            {
                labels[label.Name] = label.Value.GetString() ?? string.Empty;
            }

            var value = result.GetProperty("value")[1].GetString() ?? "NaN";
            series.Add((labels, double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture)));
        }

        return series;
    }

    /// <summary>The alerting rules through <c>/api/v1/rules?type=alert</c>: each one's name and health (<c>ok</c> once evaluated without error).</summary>
    public async Task<IReadOnlyList<(string Name, string Health)>> AlertingRulesAsync()
    {
        using var document = await GetApiAsync("api/v1/rules?type=alert");
        var rules = new List<(string, string)>();
        foreach (var group in document.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray())
        {
            foreach (var rule in group.GetProperty("rules").EnumerateArray())
            {
                rules.Add((rule.GetProperty("name").GetString() ?? string.Empty, rule.GetProperty("health").GetString() ?? string.Empty));
            }
        }

        return rules;
    }

    /// <summary>Stops Prometheus by PID and deletes its configuration and data.</summary>
    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    // An API answer whose status is not "success" (a PromQL error, say) throws with Prometheus' own error text.
    private async Task<JsonDocument> GetApiAsync(string pathAndQuery)
    {
        using var response = await _client.GetAsync(pathAndQuery);
        var body = await response.Content.ReadAsStringAsync();
        var document = JsonDocument.Parse(body);
        if (document.RootElement.GetProperty("status").GetString() != "success")
        {
            document.Dispose();
            throw new InvalidOperationException($"Prometheus answered {pathAndQuery} with {(int)response.StatusCode}: {body}");
        }

        return document;
    }

    private async Task<bool> IsReadyAsync()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"Prometheus exited with {_process.ExitCode}: {_process.Output}");
        }

        try
        {
            using var response = await _client.GetAsync("-/ready");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
