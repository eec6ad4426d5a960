namespace HealthEndpoint.Probe;

/// <summary>The exit code and the one line of output of a probe run.</summary>
internal readonly record struct ProbeOutcome(int ExitCode, string Line);
