using System;

namespace HealthEndpoint.Owin;

/// <summary>One check's result in a run: its name, its outcome and, when it ran, how long it took.</summary>
internal readonly struct CheckResult
{
    /// <summary>A result without timing: a check that did not run (skipped, excluded) or a pseudo-check.</summary>
    public CheckResult(string name, CheckOutcome outcome)
        : this(name, outcome, elapsed: null, startedAt: default)
    {
    }

    /// <summary>A result of a check that ran.</summary>
    public CheckResult(string name, CheckOutcome outcome, TimeSpan? elapsed, DateTime startedAt)
    {
        Name = name;
        Outcome = outcome;
        Elapsed = elapsed;
        StartedAt = startedAt;
    }

    public string Name { get; }

    public CheckOutcome Outcome { get; }

    /// <summary>
    /// From the start of the run until the outcome was known; for a check abandoned at the deadline, the timeout.
    /// <see langword="null"/> when the check did not run.
    /// </summary>
    public TimeSpan? Elapsed { get; }

    /// <summary>When the run that produced this result started (UTC); meaningful only when <see cref="Elapsed"/> is set.</summary>
    public DateTime StartedAt { get; }

    /// <summary>The same check reported <c>skipped</c> without timing, as <c>?exclude</c> asks.</summary>
    public CheckResult AsSkipped() => new(Name, CheckOutcome.Skipped);
}
