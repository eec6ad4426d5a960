using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Owin;

namespace HealthEndpoint.Owin.Katana.Tests;

/// <summary>The sessions an app's session middleware created: what a probe must never cost.</summary>
public sealed class SessionStore
{
    private int _created;

    public int Created => Volatile.Read(ref _created);

    public string Create() => "s" + Interlocked.Increment(ref _created).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// A Katana session middleware as apps write it: every request without a session cookie gets a new session and a
/// Set-Cookie, through Microsoft.Owin's cookie API (<c>Request.Cookies</c>, <c>Response.Cookies.Append</c>).
/// </summary>
public sealed class SessionMiddleware(OwinMiddleware next, SessionStore store) : OwinMiddleware(next)
{
    public const string CookieName = "katana.session";

    public override Task Invoke(IOwinContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Cookies[CookieName] is null)
        {
            context.Response.Cookies.Append(CookieName, store.Create(), new CookieOptions { HttpOnly = true });
        }

        return Next.Invoke(context);
    }
}
