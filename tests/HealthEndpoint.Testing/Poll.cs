using System;
using System.Diagnostics;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Testing;

/// <summary>Waits for a condition by polling it until a deadline, instead of sleeping a fixed time.</summary>
public static class Poll
{
    private static readonly TimeSpan MaximumInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Evaluates <paramref name="condition"/> until it returns <see langword="true"/>; an exception thrown by the
    /// condition counts as "not yet" and becomes the inner exception of the timeout.
    /// </summary>
    /// <param name="condition">The check to repeat.</param>
    /// <param name="timeout">How long to keep trying.</param>
    /// <param name="description">What is awaited, for the exception message ("PostgreSQL answers SELECT 1").</param>
    /// <exception cref="TimeoutException">The condition did not hold before the deadline.</exception>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string description)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var elapsed = Stopwatch.StartNew();
        var interval = TimeSpan.FromMilliseconds(5);
        Exception? lastError = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
#pragma warning disable CA1031 // Any failure of the probe means "not yet"; the last one is reported on timeout.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                lastError = exception;
            }

            if (elapsed.Elapsed >= timeout)
            {
                throw new TimeoutException(
                    $"Timed out after {elapsed.Elapsed.TotalSeconds:0.0} s waiting for: {description}.", lastError);
            }

            await Task.Delay(interval);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, MaximumInterval.Ticks));
        }
    }
}
