namespace Owin.HealthEndpoint;

/// <summary>The OWIN 1.0 environment keys this library reads and writes, in one place.</summary>
internal static class OwinKeys
{
    public const string RequestMethod = "owin.RequestMethod";
    public const string RequestPath = "owin.RequestPath";
    public const string RequestQueryString = "owin.RequestQueryString";
    public const string RequestHeaders = "owin.RequestHeaders";
    public const string ResponseStatusCode = "owin.ResponseStatusCode";
    public const string ResponseHeaders = "owin.ResponseHeaders";
    public const string ResponseBody = "owin.ResponseBody";
    public const string CallCancelled = "owin.CallCancelled";
    public const string RemoteIpAddress = "server.RemoteIpAddress";
}
