namespace HealthEndpoint.Owin;

/// <summary>The OWIN environment and host-property keys this library reads and writes, in one place.</summary>
/// <remarks>
/// They are the OWIN specification's names, so they stay internal: an app or a host spells them as the specification
/// does. The one key that is this library's contract with hosts, <see cref="HostOnAppDisposing"/>, is documented for
/// host authors in docs/hosting.md.
/// </remarks>
internal static class OwinKeys
{
    public const string RequestMethod = "owin.RequestMethod";

    /// <summary>The only path the health routes match.</summary>
    public const string RequestPath = "owin.RequestPath";

    public const string RequestQueryString = "owin.RequestQueryString";

    public const string RequestHeaders = "owin.RequestHeaders";

    public const string ResponseStatusCode = "owin.ResponseStatusCode";

    public const string ResponseHeaders = "owin.ResponseHeaders";

    public const string ResponseBody = "owin.ResponseBody";

    public const string CallCancelled = "owin.CallCancelled";

    /// <summary>The peer the allowlist judges.</summary>
    public const string RemoteIpAddress = "server.RemoteIpAddress";

    /// <summary>
    /// A <see cref="System.Threading.CancellationToken"/> the host cancels when its graceful stop begins (Katana's
    /// name). In a request environment it also proves that a host is serving; in the startup properties, which the
    /// middleware's third constructor argument takes, it is read once.
    /// </summary>
    public const string HostOnAppDisposing = "host.OnAppDisposing";
}
