using System.Threading.Tasks;
using Microsoft.Owin;

namespace HealthEndpoint.Owin.Katana.Tests;

/// <summary>The app behind the health endpoint: a Katana <see cref="OwinMiddleware"/> that answers every request it gets.</summary>
public sealed class KatanaApp(OwinMiddleware next) : OwinMiddleware(next)
{
    public override Task Invoke(IOwinContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync("app " + context.Request.PathBase + context.Request.Path);
    }
}
