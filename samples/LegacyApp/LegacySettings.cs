using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Microsoft.Extensions.Configuration;

namespace LegacyApp;

/// <summary>
/// The app's configuration: embedded defaults, then <c>appsettings.json</c> beside the app, then environment
/// variables (<c>Database__Provider=Npgsql</c>), then the command line (<c>--Urls http://127.0.0.1:8080/</c>).
/// </summary>
internal static class LegacySettings
{
    public const string UrlsKey = "Urls";
    public const string DrainDelayKey = "Host:DrainDelay";
    public const string ServerKey = "Host:Server";
    public const string HttpListenerServer = "HttpListener";
    public const string KestrelServer = "Kestrel";

    /// <summary>Builds the layered configuration.</summary>
    public static IConfiguration Build(string[] args, IDictionary<string, string?>? overrides = null)
    {
        return new ConfigurationBuilder()
            .AddInMemoryCollection(Defaults())
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>())
            .Build();
    }

    /// <summary>The embedded defaults: SQLite in the app's data folder, in-memory sessions, port 5080.</summary>
    public static Dictionary<string, string?> Defaults()
    {
        var dataDirectory = Path.Combine(AppContext.BaseDirectory, "App_Data");
        return new Dictionary<string, string?>
        {
            [UrlsKey] = "http://localhost:5080/",
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(dataDirectory, "legacyapp.db")}",
            ["WebSession:Class"] = "Memory",
        };
    }

    /// <summary>The listener prefixes from <c>Urls</c>, separated by ';', each ending in '/'.</summary>
    public static IReadOnlyList<string> Urls(IConfiguration configuration)
    {
        var urls = new List<string>();
        foreach (var url in (configuration[UrlsKey] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                throw new HealthEndpoint.Owin.HealthEndpointConfigurationException(UrlsKey, $"{UrlsKey} has '{url}', which is not an http:// or https:// prefix.");
            }

            urls.Add(url.EndsWith('/') ? url : url + "/");
        }

        return urls.Count > 0
            ? urls
            : throw new HealthEndpoint.Owin.HealthEndpointConfigurationException(UrlsKey, $"{UrlsKey} is empty: give at least one prefix, for example http://localhost:5080/.");
    }

    /// <summary>
    /// <c>Host:DrainDelay</c> (<c>hh:mm:ss[.fff]</c>, default zero): how long a graceful stop keeps serving while
    /// status and readiness answer 503.
    /// </summary>
    public static TimeSpan DrainDelay(IConfiguration configuration)
    {
        var value = configuration[DrainDelayKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return TimeSpan.Zero;
        }

        return value.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParseExact(value.Trim(), "c", CultureInfo.InvariantCulture, out var delay)
            && delay >= TimeSpan.Zero
            ? delay
            : throw new HealthEndpoint.Owin.HealthEndpointConfigurationException(DrainDelayKey, $"{DrainDelayKey} must be a duration such as 00:00:05 (was '{value}').");
    }

    /// <summary><c>Host:Server</c>: <c>Kestrel</c> (default) or <c>HttpListener</c>, case-insensitive.</summary>
    /// <remarks>
    /// Kestrel by default: it has the protections the managed HttpListener lacks (a header timeout, size limits, one
    /// answer per request whatever the Host header; docs/hosting.md), and a newcomer's first POST gets the health
    /// endpoint's own 405 there, not HttpListener's HTML 411.
    /// </remarks>
    public static string Server(IConfiguration configuration)
    {
        var value = configuration[ServerKey];
        if (string.IsNullOrWhiteSpace(value) || string.Equals(value.Trim(), KestrelServer, StringComparison.OrdinalIgnoreCase))
        {
            return KestrelServer;
        }

        return string.Equals(value.Trim(), HttpListenerServer, StringComparison.OrdinalIgnoreCase)
            ? HttpListenerServer
            : throw new HealthEndpoint.Owin.HealthEndpointConfigurationException(ServerKey, $"{ServerKey} must be {HttpListenerServer} or {KestrelServer} (was '{value}').");
    }
}
