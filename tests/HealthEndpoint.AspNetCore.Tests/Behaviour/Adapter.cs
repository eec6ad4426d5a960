namespace HealthEndpoint.AspNetCore.Tests.Behaviour;

/// <summary>The two faces of the one endpoint the behaviour suite runs against, each over real Kestrel sockets.</summary>
public enum Adapter
{
    /// <summary><c>HealthEndpointMiddleware</c> wrapping an OWIN app, served by <c>KestrelOwinServer</c>.</summary>
    Owin,

    /// <summary><c>UseHealthEndpoint()</c> in front of an ASP.NET Core app (<c>WebApplication</c>, Kestrel).</summary>
    AspNetCore,
}
