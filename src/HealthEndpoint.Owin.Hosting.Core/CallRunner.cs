using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin.Hosting.Core;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>Runs the app for one request, whatever the transport, and ends the request's life.</summary>
internal sealed class CallRunner
{
    private readonly AppFunc _app;
    private readonly ILogger _logger;

    /// <exception cref="ArgumentNullException"><paramref name="app"/> is null.</exception>
    public CallRunner(AppFunc app, ILogger logger)
    {
        _app = app ?? throw new ArgumentNullException(nameof(app));
        _logger = logger;
    }

    /// <summary>
    /// 400 for a head <see cref="RequestHeadCheck"/> refuses, 404 for a path outside the prefixes; else the body read
    /// ahead, the app, the end of the body. A client's bad request body is answered with its status and logged as the
    /// client's; an app that fails because its client left is logged as that; anything else that throws is the app's
    /// failure: an empty 500 (or an abort once the response started), logged at error. Then what the app left of the
    /// body is drained (where the transport asks for it), and the call is sealed.
    /// </summary>
    /// <param name="call">The request.</param>
    /// <returns>A task that completes when the response is handed to the transport; it does not throw.</returns>
    public async Task RunAsync(ServerCall call)
    {
        var bodyInDoubt = false;
        try
        {
            if (call.HeadProblem is { } problem)
            {
                HostLog.RequestRefused(_logger, call.Method, problem);
                bodyInDoubt = true;
                call.EndWithout(400, close: true);
                return;
            }

            if (!call.InsidePrefixes)
            {
                call.EndWithout(404, close: false);
                return;
            }

            await call.ReadAheadAsync().ConfigureAwait(false);
            await _app(call.Environment).ConfigureAwait(false);
            await call.ResponseBody.CompleteAsync().ConfigureAwait(false);
            call.ThrowIfRejected();
        }
        catch (Exception exception) when (call.IsClientError(exception, out var statusCode))
        {
            HostLog.ClientError(_logger, call.Method, call.Path, statusCode, exception.Message);
            bodyInDoubt = true;
            call.EndWithout(statusCode, close: true);
        }
        catch (Exception exception) when (call.ClientGone)
        {
            HostLog.ClientGone(_logger, call.Method, call.Path, exception.GetType().Name);
            bodyInDoubt = true;
            call.EndWithout(400, close: true);
        }
        catch (Exception exception)
        {
            HostLog.AppFailed(_logger, call.Method, call.Path, call.ResponseBody.Started, exception);
            call.EndWithout(500, close: false);
        }
        finally
        {
            try
            {
                if (!bodyInDoubt)
                {
                    await call.DrainUnreadBodyAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                call.Seal();
            }
        }
    }
}
