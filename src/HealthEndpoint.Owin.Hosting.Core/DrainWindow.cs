using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>The first part of a graceful stop, the same on both hosts: tell the app, then keep serving a while.</summary>
internal static class DrainWindow
{
    /// <summary>
    /// Cancels <c>host.OnAppDisposing</c> (the health endpoint then answers readiness with 503), calls the host's
    /// OnDraining, and keeps serving for <paramref name="delay"/> so that load balancers see readiness fail before
    /// the listener closes.
    /// </summary>
    public static async Task OpenAsync(CancellationTokenSource appDisposing, Action? onDraining, TimeSpan delay, ILogger logger)
    {
        appDisposing.Cancel();
        onDraining?.Invoke();
        if (delay > TimeSpan.Zero)
        {
            HostLog.Draining(logger, (long)delay.TotalMilliseconds);
            await Task.Delay(delay).ConfigureAwait(false);
        }
    }
}
