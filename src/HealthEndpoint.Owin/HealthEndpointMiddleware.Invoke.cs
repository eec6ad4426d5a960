using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin;

/// <summary>
/// A request through the middleware, the OWIN adapter of the health endpoint: the path is matched, a health request is
/// read once into a <see cref="HealthRequest"/>, <see cref="HealthResponder"/> decides the <see cref="HealthAnswer"/>
/// from it alone, and that answer is counted and written into the OWIN response, here, in one place.
/// </summary>
public sealed partial class HealthEndpointMiddleware
{
    /// <summary>Answers a health request, or calls the wrapped app with the same environment.</summary>
    /// <param name="environment">The OWIN environment of the request.</param>
    /// <returns>The task of the health response, or the wrapped app's own task.</returns>
    public Task Invoke(IDictionary<string, object> environment)
    {
        // The pass-through path is synchronous and allocation-free, and awaits nothing before the app runs:
        // under System.Web an early await would move the legacy app off its HttpContext.
        if (environment.TryGetValue(OwinKeys.RequestPath, out var value) && value is string path)
        {
            var route = _router.Match(path);
            if (route.Kind != HealthRouteKind.None)
            {
                return Answer(environment, route);
            }
        }

        return _next(environment);
    }

    // Read once, decide once (the responder), count the answer returned, write once.
    private Task Answer(IDictionary<string, object> environment, HealthRoute route)
    {
        var request = Read(environment, route);
        var answer = _responder.Answer(request, out var later);
        return answer is not null
            ? Write(environment, route.Kind, answer, request.IncludeBody)
            : WriteWhenAnsweredAsync(environment, route.Kind, later!, request.IncludeBody);
    }

    private async Task WriteWhenAnsweredAsync(IDictionary<string, object> environment, HealthRouteKind route, Task<HealthAnswer> answer, bool includeBody) =>
        await Write(environment, route, await answer.ConfigureAwait(false), includeBody).ConfigureAwait(false);

    // Each optional part only when its option is on or its route needs it: with the defaults, a ping reads the method only.
    private HealthRequest Read(IDictionary<string, object> environment, HealthRoute route)
    {
        var kind = route.Kind;
        var format = _readsAccept && AcceptHeader.PrefersHealthJson(OwinHeaders.Find(environment, "Accept"))
            ? HealthFormat.HealthJson
            : kind is HealthRouteKind.Ping or HealthRouteKind.Status ? HealthFormat.Compact : HealthFormat.KubernetesText;
        return new(
            route,
            Text(environment, OwinKeys.RequestMethod),
            format,
            _readsQuery && kind != HealthRouteKind.Ping ? HealthQuery.Parse(Text(environment, OwinKeys.RequestQueryString)) : null,
            _readsClient ? Text(environment, OwinKeys.RemoteIpAddress) : null,
            _readsClient ? OwinHeaders.Find(environment, ForwardedFor.HeaderName) : null,
            kind is HealthRouteKind.Status or HealthRouteKind.Ready or HealthRouteKind.Startup ? Token(environment, OwinKeys.HostOnAppDisposing) : null,
            kind == HealthRouteKind.Metrics ? Token(environment, OwinKeys.CallCancelled) ?? default : default);
    }

    private static string? Text(IDictionary<string, object> environment, string key) =>
        environment.TryGetValue(key, out var value) ? value as string : null;

    private static CancellationToken? Token(IDictionary<string, object> environment, string key) =>
        environment.TryGetValue(key, out var value) && value is CancellationToken token ? token : null;

    // The one writer: any answer into the OWIN response. Header values are new arrays for every response, because the
    // OWIN contract lets anything downstream (a server, an outer middleware) change them in place. No owin.CallCancelled
    // for the write: every body is small and complete, and a server that loses the client fails the write anyway.
    private Task Write(IDictionary<string, object> environment, HealthRouteKind route, HealthAnswer answer, bool includeBody)
    {
        if (_metrics.CountsRequests)
        {
            _metrics.Answered(route, answer.BoxedStatusCode);
        }

        environment[OwinKeys.ResponseStatusCode] = answer.BoxedStatusCode;
        var headers = (IDictionary<string, string[]>)environment[OwinKeys.ResponseHeaders];
        if (answer.StatusCode == 405)
        {
            headers["Allow"] = new[] { HealthAnswer.AllowedMethods };
        }

        if (answer.ContentType is not null)
        {
            headers["Content-Type"] = new[] { answer.ContentType };
        }

        headers["Content-Length"] = new[] { answer.ContentLength };
        headers["Cache-Control"] = new[] { HealthAnswer.CacheControl };
        headers["X-Content-Type-Options"] = new[] { HealthAnswer.ContentTypeOptions };
        return includeBody && answer.Body.Length > 0
            ? ((Stream)environment[OwinKeys.ResponseBody]).WriteAsync(answer.Body, 0, answer.Body.Length)
            : Task.CompletedTask;
    }
}
