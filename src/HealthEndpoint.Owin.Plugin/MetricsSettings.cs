using System;
using Microsoft.Extensions.Configuration;
using HealthEndpoint.Owin.Prometheus;

namespace HealthEndpoint.Owin.Plugin;

/// <summary>Reads the metrics path settings, off when unset.</summary>
/// <remarks>
/// Keys: <c>HealthEndpoint:MetricsPath</c> (a path turns the Prometheus page on; unset or empty = off) and
/// <c>HealthEndpoint:MetricsMeters</c> (further meter names, for example <c>System.Runtime</c>: a JSON array, or one
/// string separated by <c>;</c>, <c>,</c> or spaces; the <c>HealthEndpoint.Owin</c> meter is always on the page).
/// </remarks>
internal static class MetricsSettings
{
    public const string PathKey = HealthEndpointConfiguration.Section + ":" + nameof(HealthEndpointOptions.MetricsPath);
    public const string MetersKey = HealthEndpointConfiguration.Section + ":MetricsMeters";

    /// <summary>Sets the metrics path and a new page on <paramref name="options"/>; returns the page, for its owner to dispose.</summary>
    public static PrometheusMetricsPage? Read(IConfiguration configuration, HealthEndpointOptions options, Action<string, string> add)
    {
        var path = ConfigurationValues.Value(configuration, PathKey);
        var meters = ConfigurationValues.List(configuration, "MetricsMeters");
        if (string.IsNullOrEmpty(path))
        {
            if (meters.Count > 0)
            {
                add(MetersKey, $"is only used with {PathKey}, which is unset.");
            }

            return null;
        }

        for (var i = 0; i < meters.Count; i++)
        {
            meters[i] = meters[i].Trim();
            if (meters[i].Length == 0)
            {
                add(MetersKey, "must not contain empty meter names.");
            }
        }

        options.MetricsPath = path;
        options.MetricsPage = new PrometheusMetricsPage(meters);
        return (PrometheusMetricsPage)options.MetricsPage;
    }
}
