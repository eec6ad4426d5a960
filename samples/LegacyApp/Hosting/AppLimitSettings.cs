using System;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using HealthEndpoint.Owin;
using HealthEndpoint.Owin.Host.HttpListener;

namespace LegacyApp.Hosting;

/// <summary>
/// The app's own concurrency bound (<see cref="AppConcurrencyLimitMiddleware"/>, inside the health endpoint):
/// <c>App:MaxConcurrentRequests</c> and <c>App:RetryAfter</c>. The bound must stay below what the host itself
/// admits, so that requests stuck in the app never take the last connection or slot a health probe needs.
/// </summary>
internal static class AppLimitSettings
{
    public const string MaxConcurrentRequestsKey = "App:MaxConcurrentRequests";
    public const string RetryAfterKey = "App:RetryAfter";

    // The app's bound when the configuration names none (and the host admits twice as many).
    private const int DefaultBound = 512;

    /// <summary>The bound and the <c>Retry-After</c> of its 503s.</summary>
    /// <exception cref="HealthEndpointConfigurationException">A value is invalid, or the bound is not below the host's limit.</exception>
    public static (int MaxConcurrentRequests, TimeSpan RetryAfter) Read(IConfiguration configuration)
    {
        var hostLimit = HostLimit(configuration);
        var value = configuration[MaxConcurrentRequestsKey];
        int bound;
        if (string.IsNullOrWhiteSpace(value))
        {
            // Half of what the host admits leaves the other half for probes and 503s: 512 unless the open-file limit is low.
            bound = (int)Math.Max(1, Math.Min(DefaultBound, hostLimit / 2));
        }
        else if (!int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out bound) || bound < 1)
        {
            throw new HealthEndpointConfigurationException(MaxConcurrentRequestsKey, $"{MaxConcurrentRequestsKey} must be a whole number, 1 or more (was '{value}').");
        }
        else if (bound >= hostLimit)
        {
            throw new HealthEndpointConfigurationException(
                MaxConcurrentRequestsKey,
                $"{MaxConcurrentRequestsKey} ({bound}) must be below the host's limit of {hostLimit} concurrent requests (derived from the open-file limit, or Host:MaxConnections), so that health probes still get in.");
        }

        var retryAfter = TimeSpan.FromSeconds(1);
        var retry = configuration[RetryAfterKey];
        if (!string.IsNullOrWhiteSpace(retry))
        {
            retryAfter = retry.Contains(':', StringComparison.Ordinal)
                && TimeSpan.TryParseExact(retry.Trim(), "c", CultureInfo.InvariantCulture, out var delay)
                && delay >= TimeSpan.FromSeconds(1)
                ? delay
                : throw new HealthEndpointConfigurationException(RetryAfterKey, $"{RetryAfterKey} must be a duration of at least 00:00:01 (was '{retry}').");
        }

        return (bound, retryAfter);
    }

    // Both hosts derive their limit from the open-file limit by the same rule (HttpListenerOwinServerOptions' default); Kestrel's
    // Host:MaxConnections replaces it when set.
    private static long HostLimit(IConfiguration configuration)
    {
        var connections = configuration[KestrelSettings.MaxConnectionsKey];
        if (LegacySettings.Server(configuration) == LegacySettings.KestrelServer
            && long.TryParse(connections, NumberStyles.None, CultureInfo.InvariantCulture, out var configured) && configured > 0)
        {
            return configured;
        }

        return new HttpListenerOwinServerOptions().MaxConcurrentRequests;
    }
}
