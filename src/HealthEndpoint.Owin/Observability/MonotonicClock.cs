using System;
using System.Diagnostics;

namespace HealthEndpoint.Owin;

/// <summary>The time the state-change log decides by; tests substitute fake time.</summary>
/// <remarks>Internal and dependency-free on purpose: the core takes no TimeProvider package for this one use.</remarks>
internal abstract class MonotonicClock
{
    /// <summary>The machine's monotonic clock (Stopwatch).</summary>
    public static MonotonicClock System { get; } = new StopwatchClock();

    /// <summary>Time since an arbitrary fixed point; only differences mean anything.</summary>
    public abstract TimeSpan Now { get; }

    private sealed class StopwatchClock : MonotonicClock
    {
        public override TimeSpan Now => TimeSpan.FromSeconds(Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency);
    }
}
