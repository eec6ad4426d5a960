using System;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Hosting.Core;
using Microsoft.AspNetCore.Connections;

namespace HealthEndpoint.Owin.Host.Kestrel.Connections;

/// <summary>
/// Closes a new connection that sends nothing within the request-headers timeout. Kestrel starts that timeout only
/// with a request's first byte and holds a silent new connection for the keep-alive timeout (minutes), so a few
/// hundred silent connections would hold every connection slot and refuse the health probes.
/// </summary>
internal static class FirstBytesTimeout
{
    /// <summary>A connection middleware that waits up to <paramref name="timeout"/> for the first bytes, then hands the connection on untouched.</summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(TimeSpan timeout) => next => async connection =>
    {
        var input = connection.Transport.Input;
        using (var silence = new CancellationTokenSource(timeout))
        {
            try
            {
                var first = await input.ReadAsync(silence.Token).ConfigureAwait(false);

                // Nothing consumed, nothing examined: Kestrel's parser reads the same bytes next.
                input.AdvanceTo(first.Buffer.Start);
            }
            catch (OperationCanceledException) when (silence.IsCancellationRequested)
            {
                connection.Abort(new ConnectionAbortedException("No request arrived within the request-headers timeout."));
                return;
            }
        }

        await next(connection).ConfigureAwait(false);
    };
}
