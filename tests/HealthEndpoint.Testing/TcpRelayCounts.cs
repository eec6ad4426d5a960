using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace HealthEndpoint.Owin.Testing;

/// <summary>How many connections a <see cref="TcpRelay"/> accepted since its counts were last reset.</summary>
/// <param name="Accepted">Connections accepted since the reset.</param>
/// <param name="Open">Of those, how many are open now.</param>
/// <param name="MaxOpen">Of those, the most that were open at the same moment, as the relay saw it.</param>
/// <param name="MaxOverlapping">
/// Of those, the most that were open together for longer than <see cref="TcpRelay.CloseLag"/>: the relay sees a
/// close only when its pump runs, so a client that closes a connection and at once opens the next can look like
/// two open at once for a few milliseconds under load. A real pile-up overlaps for as long as the server hangs.
/// </param>
public readonly record struct TcpRelayCounts(int Accepted, int Open, int MaxOpen, int MaxOverlapping);

/// <summary>When a relayed connection was accepted and, once it is, closed (<see cref="Stopwatch"/> timestamps).</summary>
internal sealed class ConnectionSpan(long accepted)
{
    public long Accepted { get; } = accepted;

    public long? Closed { get; set; }

    /// <summary>The most spans open together for longer than <paramref name="closeLag"/>; an open span lasts until now.</summary>
    /// <remarks>A sweep over [accepted, closed − lag]; ends sort before starts at the same instant.</remarks>
    public static int MaxOverlapping(List<ConnectionSpan> spans, TimeSpan closeLag)
    {
        var lag = (long)(closeLag.TotalSeconds * Stopwatch.Frequency);
        var now = Stopwatch.GetTimestamp();
        var events = new List<(long Time, int Delta)>(spans.Count * 2);
        foreach (var span in spans)
        {
            var end = (span.Closed ?? now) - lag;
            if (end > span.Accepted)
            {
                events.Add((span.Accepted, 1));
                events.Add((end, -1));
            }
        }

        events.Sort((left, right) => left.Time != right.Time ? left.Time.CompareTo(right.Time) : left.Delta.CompareTo(right.Delta));
        int open = 0, max = 0;
        foreach (var (_, delta) in events)
        {
            open += delta;
            max = Math.Max(max, open);
        }

        return max;
    }
}
