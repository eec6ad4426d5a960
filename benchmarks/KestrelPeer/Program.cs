namespace Owin.HealthEndpoint.KestrelPeer;

/// <summary>Placeholder; the Kestrel peer follows.</summary>
internal static class Program
{
    private static int Main() => 0;
}
