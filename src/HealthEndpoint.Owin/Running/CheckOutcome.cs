namespace HealthEndpoint.Owin;

/// <summary>The only three things a check can report to the caller.</summary>
internal enum CheckOutcome
{
    Skipped,
    Ok,
    Fail,
}
