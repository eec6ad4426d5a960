using System;
using System.Collections.Generic;
using System.Net;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin.Plugin;

/// <summary>
/// The line an operator reads at startup: the health paths this app really answers and the checks it runs, for
/// example <c>Health endpoint paths: ping /ping, status /healthz/status; checks: database (Npgsql), redis
/// (127.0.0.1:6379).</c> Never a connection string or a password: a provider name and Redis endpoints only.
/// </summary>
/// <remarks>Built from the options in force, so that the line names the paths the endpoint really answers.</remarks>
internal static class StartupLine
{
    private static readonly Action<ILogger, string, string, Exception?> Message =
        LoggerMessage.Define<string, string>(
            LogLevel.Information,
            new EventId(12, "HealthEndpointConfigured"),
            "Health endpoint paths: {Paths}; checks: {Checks}.");

    /// <param name="logger">Where the line goes.</param>
    /// <param name="options">The validated options the endpoint is built from.</param>
    /// <param name="databaseProvider">The configured provider's name when the database check is configuration's, else null.</param>
    /// <param name="redisEndpoints">The Redis check's endpoints when it is configuration's, else null.</param>
    public static void Log(ILogger logger, HealthEndpointOptions options, string? databaseProvider, IEnumerable<EndPoint>? redisEndpoints)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            Message(logger, Paths(options), Checks(options, databaseProvider, redisEndpoints), null);
        }
    }

    private static string Paths(HealthEndpointOptions options)
    {
        var paths = new List<string> { "ping " + options.PingPath, "status " + options.StatusPath };
        AddIfOn(paths, "live", options.LivePath);
        AddIfOn(paths, "ready", options.ReadyPath);
        AddIfOn(paths, "startup", options.StartupPath);
        AddIfOn(paths, "metrics", options.MetricsPath);
        if (options.PerCheckPaths)
        {
            paths.Add("per check " + options.StatusPath.TrimEnd('/') + "/<check>" + (options.ReadyPath is null ? string.Empty : " and " + options.ReadyPath.TrimEnd('/') + "/<check>"));
        }

        return string.Join(", ", paths);
    }

    private static string Checks(HealthEndpointOptions options, string? databaseProvider, IEnumerable<EndPoint>? redisEndpoints)
    {
        var checks = new List<string>();
        if (options.Database is not null)
        {
            checks.Add(databaseProvider is null ? "database" : $"database ({databaseProvider})");
        }

        if (options.Redis is not null)
        {
            var endpoints = new List<string>();
            foreach (var endpoint in redisEndpoints ?? [])
            {
                endpoints.Add(Format(endpoint));
            }

            checks.Add(endpoints.Count == 0 ? "redis" : $"redis ({string.Join(", ", endpoints)})");
        }

        foreach (var check in options.Checks)
        {
            checks.Add(check.Name);
        }

        return checks.Count == 0 ? "none" : string.Join(", ", checks);
    }

    private static void AddIfOn(List<string> paths, string name, string? path)
    {
        if (path is not null)
        {
            paths.Add(name + " " + path);
        }
    }

    // Host and port only: an endpoint has no room for credentials, unlike the configuration string it came from.
    private static string Format(EndPoint endpoint) => endpoint switch
    {
        DnsEndPoint dns => dns.Host + ":" + dns.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => endpoint.ToString() ?? string.Empty,
    };
}
