namespace Owin.HealthEndpoint.LoadBench;

/// <summary>Placeholder; the load bench follows.</summary>
internal static class Program
{
    private static int Main() => 0;
}
