using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Hosting.Tests.Conformance;

/// <summary>What a test server logged at Error or above: the level that says "the app failed".</summary>
internal static class ServerLog
{
    /// <summary>How long a log entry may lag behind the response it belongs to.</summary>
    public static readonly TimeSpan LogWait = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The entries at Error or above, once <paramref name="expected"/> of them arrived or <see cref="LogWait"/>
    /// passed (so a test expecting none waits the whole time only when it asks for one).
    /// </summary>
    public static async Task<IReadOnlyList<LogEntry>> ErrorsAsync(TestServer server, int expected)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var errors = server.Logs.Entries.Where(entry => entry.Level >= LogLevel.Error).ToArray();
            if (errors.Length >= expected || clock.Elapsed >= LogWait)
            {
                return errors;
            }

            await Task.Delay(20);
        }
    }

    /// <summary>One line per entry, for failure messages and the test's output.</summary>
    public static string Describe(IEnumerable<LogEntry> entries) =>
        string.Join(" | ", entries.Select(entry => $"{entry.Level} {entry.EventId.Name}: {entry.Message} {entry.Exception?.GetType().Name}"));
}
