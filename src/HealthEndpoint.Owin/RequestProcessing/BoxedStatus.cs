namespace HealthEndpoint.Owin;

/// <summary>
/// The status codes the library answers with, boxed once: <c>owin.ResponseStatusCode</c> and the metrics' status tag
/// take an object, and boxing per request would allocate on every answer.
/// </summary>
internal static class BoxedStatus
{
    public static readonly object Ok = 200;
    public static readonly object NotFound = 404;
    public static readonly object MethodNotAllowed = 405;
    public static readonly object InternalServerError = 500;
    public static readonly object ServiceUnavailable = 503;
}
