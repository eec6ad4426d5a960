using System;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Testing.Tests;

/// <summary>Awaits an operation and hands back what it threw, without blocking a thread.</summary>
/// <remarks>
/// <c>Assert.ThrowsAsync</c> blocks until the task ends; after awaiting a StackExchange.Redis 1.2.6 task that
/// blocking would run on its socket reader and starve it (machine-findings §5).
/// </remarks>
internal static class Capture
{
    /// <summary>The exception <paramref name="operation"/> threw, or <see langword="null"/> when it completed.</summary>
    public static async Task<Exception?> ExceptionAsync(Func<Task> operation)
    {
        try
        {
            await operation();
            return null;
        }
#pragma warning disable CA1031 // Capturing any exception is the point; the test asserts on its type.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return exception;
        }
    }
}
