namespace Owin.HealthEndpoint;

/// <summary>The OWIN environment and host-property keys this library reads and writes, in one place.</summary>
/// <remarks>
/// <para>
/// The host lifecycle contract is <see cref="HostOnAppDisposing"/>, the key Katana's hosts use. A host that follows it
/// needs no callback from the app: the health endpoint learns from the key alone that the host has started and when
/// its graceful stop begins, whatever the app composed (<see cref="HealthEndpoint.Wrap(System.Func{System.Collections.Generic.IDictionary{string, object}, System.Threading.Tasks.Task}, HealthEndpointOptions)"/>,
/// the middleware class, or the plugin list).
/// </para>
/// <para>
/// Only health requests look at it; every other request passes to the app without a lookup.
/// </para>
/// </remarks>
public static class OwinKeys
{
    /// <summary><c>owin.RequestMethod</c> (OWIN 1.0).</summary>
    public const string RequestMethod = "owin.RequestMethod";

    /// <summary><c>owin.RequestPath</c> (OWIN 1.0): the only path the health routes match.</summary>
    public const string RequestPath = "owin.RequestPath";

    /// <summary><c>owin.RequestQueryString</c> (OWIN 1.0).</summary>
    public const string RequestQueryString = "owin.RequestQueryString";

    /// <summary><c>owin.RequestHeaders</c> (OWIN 1.0).</summary>
    public const string RequestHeaders = "owin.RequestHeaders";

    /// <summary><c>owin.ResponseStatusCode</c> (OWIN 1.0).</summary>
    public const string ResponseStatusCode = "owin.ResponseStatusCode";

    /// <summary><c>owin.ResponseHeaders</c> (OWIN 1.0).</summary>
    public const string ResponseHeaders = "owin.ResponseHeaders";

    /// <summary><c>owin.ResponseBody</c> (OWIN 1.0).</summary>
    public const string ResponseBody = "owin.ResponseBody";

    /// <summary><c>owin.CallCancelled</c> (OWIN 1.0).</summary>
    public const string CallCancelled = "owin.CallCancelled";

    /// <summary><c>server.RemoteIpAddress</c> (OWIN common keys): the peer the allowlist judges.</summary>
    public const string RemoteIpAddress = "server.RemoteIpAddress";

    /// <summary>
    /// <c>host.OnAppDisposing</c> (OWIN common keys): a <see cref="System.Threading.CancellationToken"/> that the host
    /// cancels when the app is about to stop serving.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <b>In a request environment</b> (Katana's hosting engine — <c>WebApp.Start</c>, OwinHost.exe — and
    /// Microsoft.Owin.Host.SystemWeb put it in every request; so do this project's hosts): a health request that
    /// carries it proves that a host is serving, so the startup path answers 200; once it is cancelled the endpoint
    /// drains: status and readiness answer 503 <c>shutdown</c>.
    /// </para>
    /// <para>
    /// <b>In the startup properties</b> (Katana's <c>IAppBuilder.Properties</c>, for a host that puts it nowhere
    /// else): pass those properties to the middleware
    /// (<c>app.Use(typeof(HealthEndpointMiddleware), options, app.Properties)</c>), to
    /// <see cref="HealthEndpoint.Wrap(System.Func{System.Collections.Generic.IDictionary{string, object}, System.Threading.Tasks.Task}, HealthEndpointOptions, System.Collections.Generic.IDictionary{string, object})"/>,
    /// or to <c>PluginContext.HostProperties</c> (HealthEndpoint.Owin.Plugin); the endpoint then drains when that token is cancelled, and
    /// counts the host as started with the first health request it delivers.
    /// </para>
    /// <para>
    /// A host that wants a drain window cancels the token when its graceful stop <em>begins</em> and keeps serving
    /// for the window (this project's <c>OwinServer</c> does, before <c>DrainDelay</c>). Katana's hosting engine
    /// cancels it after its server has stopped, and System.Web when IIS stops sending the app domain new requests,
    /// so there the 503 is seen only by requests still in flight.
    /// </para>
    /// </remarks>
    public const string HostOnAppDisposing = "host.OnAppDisposing";
}
