using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;

namespace Owin.HealthEndpoint.Testing;

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
    public static async Task<PrometheusServer> StartAsync(string target, string metricsPath)
    {
        if (!File.Exists(ServerPath))
        {
            throw new InvalidOperationException($"{ServerPath} is missing; install it with: {InstallCommand}");
        }

        var directory = Directory.CreateTempSubdirectory("healthendpoint-prometheus-").FullName;
        var configuration = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configuration, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: legacyapp
                metrics_path: {metricsPath}
                static_configs:
                  - targets: ['{target}']
            """);
        var port = FreeTcpPort.Next();
        var command = new ProgramCommand(ServerPath,
        [
            "--config.file=" + configuration,
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
        using var response = await _client.GetAsync("api/v1/query?query=" + Uri.EscapeDataString(query));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
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

    /// <summary>Stops Prometheus by PID and deletes its configuration and data.</summary>
    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
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
