using System;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using HealthEndpoint.Owin;
using HealthEndpoint.Owin.Host.Kestrel;

namespace LegacyApp.Hosting;

/// <summary>
/// The <c>Host:</c> keys operators tune on the Kestrel host; unset keys keep <see cref="KestrelOwinServerOptions"/>'
/// defaults. Each is refused on the HttpListener host, which has no such protection, rather than silently ignored.
/// </summary>
internal static class KestrelSettings
{
    public const string MaxConnectionsKey = "Host:MaxConnections";
    public const string RequestHeadersTimeoutKey = "Host:RequestHeadersTimeout";
    public const string KeepAliveTimeoutKey = "Host:KeepAliveTimeout";
    public const string MaxRequestLineSizeKey = "Host:MaxRequestLineSize";
    public const string MaxRequestHeadersTotalSizeKey = "Host:MaxRequestHeadersTotalSize";
    public const string MaxRequestHeaderCountKey = "Host:MaxRequestHeaderCount";
    public const string MaxRequestBodySizeKey = "Host:MaxRequestBodySize";
    public const string MinRequestBodyDataRateKey = "Host:MinRequestBodyDataRate";

    private static readonly string[] Keys =
    [
        MaxConnectionsKey, RequestHeadersTimeoutKey, KeepAliveTimeoutKey, MaxRequestLineSizeKey,
        MaxRequestHeadersTotalSizeKey, MaxRequestHeaderCountKey, MaxRequestBodySizeKey, MinRequestBodyDataRateKey,
    ];

    /// <summary>Copies the configured limits onto <paramref name="options"/>.</summary>
    /// <exception cref="HealthEndpointConfigurationException">A value is not a number or duration in range.</exception>
    public static void Apply(IConfiguration configuration, KestrelOwinServerOptions options)
    {
        if (Integer(configuration, MaxConnectionsKey, minimum: 1) is long connections)
        {
            options.MaxConcurrentConnections = connections;
        }

        options.RequestHeadersTimeout = Duration(configuration, RequestHeadersTimeoutKey) ?? options.RequestHeadersTimeout;
        options.KeepAliveTimeout = Duration(configuration, KeepAliveTimeoutKey) ?? options.KeepAliveTimeout;
        options.MaxRequestLineSize = (int?)Integer(configuration, MaxRequestLineSizeKey, minimum: 1, int.MaxValue) ?? options.MaxRequestLineSize;
        options.MaxRequestHeadersTotalSize = (int?)Integer(configuration, MaxRequestHeadersTotalSizeKey, minimum: 1, int.MaxValue) ?? options.MaxRequestHeadersTotalSize;
        options.MaxRequestHeaderCount = (int?)Integer(configuration, MaxRequestHeaderCountKey, minimum: 1, int.MaxValue) ?? options.MaxRequestHeaderCount;
        options.MaxRequestBodySize = Integer(configuration, MaxRequestBodySizeKey, minimum: 0) ?? options.MaxRequestBodySize;
        var rate = configuration[MinRequestBodyDataRateKey];
        if (!string.IsNullOrWhiteSpace(rate))
        {
            options.MinRequestBodyDataRate = double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out var bytesPerSecond)
                && bytesPerSecond >= 0 && double.IsFinite(bytesPerSecond)
                ? bytesPerSecond
                : throw new HealthEndpointConfigurationException(MinRequestBodyDataRateKey, $"{MinRequestBodyDataRateKey} must be bytes per second, 0 or more (was '{rate}').");
        }
    }

    /// <summary>Refuses the Kestrel-only keys when LegacyApp runs on HttpListener.</summary>
    /// <exception cref="HealthEndpointConfigurationException">One of the keys is set.</exception>
    public static void RejectFor(IConfiguration configuration, string server)
    {
        foreach (var key in Keys)
        {
            if (!string.IsNullOrWhiteSpace(configuration[key]))
            {
                throw new HealthEndpointConfigurationException(key, $"{key} applies to the Kestrel host only; set {LegacySettings.ServerKey}=Kestrel (it is {server}).");
            }
        }
    }

    private static long? Integer(IConfiguration configuration, string key, long minimum, long maximum = long.MaxValue)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum && number <= maximum
            ? number
            : throw new HealthEndpointConfigurationException(key, $"{key} must be a whole number from {minimum} to {maximum} (was '{value}').");
    }

    private static TimeSpan? Duration(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return value.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParseExact(value.Trim(), "c", CultureInfo.InvariantCulture, out var duration)
            && duration > TimeSpan.Zero
            ? duration
            : throw new HealthEndpointConfigurationException(key, $"{key} must be a positive duration such as 00:00:10 (was '{value}').");
    }
}
