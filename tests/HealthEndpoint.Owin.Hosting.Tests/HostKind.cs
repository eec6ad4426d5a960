namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>The OWIN hosts the conformance suite runs against; every fixture is instantiated once per kind.</summary>
public enum HostKind
{
    /// <summary><c>HttpListenerOwinServer</c> over System.Net.HttpListener.</summary>
    HttpListener,

    /// <summary><c>KestrelOwinServer</c> over Kestrel.</summary>
    Kestrel,
}
