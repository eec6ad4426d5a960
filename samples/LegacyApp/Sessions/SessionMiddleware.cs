using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace LegacyApp.Sessions;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>
/// What makes health probes expensive in a legacy app, on purpose: like RT's HandleRequest, it ties a session
/// to every request it sees, and a request without a valid session cookie creates a new session record and
/// gets a Set-Cookie, whatever page it asked for.
/// </summary>
internal sealed class SessionMiddleware
{
    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "LegacyApp_SID";

    /// <summary>The environment key under which the current <see cref="Session"/> is passed on.</summary>
    public const string EnvironmentKey = "legacyapp.Session";

    private readonly AppFunc _next;
    private readonly ISessionStore _store;

    public SessionMiddleware(AppFunc next, ISessionStore store)
    {
        _next = next;
        _store = store;
    }

    public async Task Invoke(IDictionary<string, object> environment)
    {
        var sessionId = ReadSessionCookie(environment);
        var visits = sessionId is null ? null : await _store.RecordVisitAsync(sessionId).ConfigureAwait(false);
        if (sessionId is null || visits is null)
        {
            sessionId = await _store.CreateAsync().ConfigureAwait(false);
            visits = await _store.RecordVisitAsync(sessionId).ConfigureAwait(false) ?? 1;
            var headers = (IDictionary<string, string[]>)environment["owin.ResponseHeaders"];
            headers["Set-Cookie"] = [$"{CookieName}={sessionId}; Path=/; HttpOnly; SameSite=Lax"];
        }

        environment[EnvironmentKey] = new Session(sessionId, visits.Value);
        await _next(environment).ConfigureAwait(false);
    }

    private static string? ReadSessionCookie(IDictionary<string, object> environment)
    {
        var headers = (IDictionary<string, string[]>)environment["owin.RequestHeaders"];
        if (!headers.TryGetValue("Cookie", out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            foreach (var cookie in value.Split(';'))
            {
                var pair = cookie.Trim();
                if (pair.StartsWith(CookieName + "=", StringComparison.Ordinal))
                {
                    var id = pair.Substring(CookieName.Length + 1);
                    return SessionId.IsWellFormed(id) ? id : null;
                }
            }
        }

        return null;
    }
}

/// <summary>The session a request belongs to.</summary>
internal sealed record Session(string Id, long Visits);
