using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>
/// The body stream's limits, and the drain of what the app left unread: each read of the transport is counted
/// against the largest size (<see cref="Track"/>), waits no longer than the data rate allows
/// (<see cref="ReadTransportAsync"/>), and fails as the client's fault (<see cref="Broken"/>).
/// </summary>
/// <remarks>
/// The client's faults are the client's: a transport read that fails becomes a <see cref="BadRequestException"/>
/// (400), and the <see cref="RequestBodyLimits"/> a transport asks for are enforced here, the same for every read
/// (the host's read-ahead, the app's reads, the drain): a body past the largest size is 413, one slower than the
/// minimum data rate 408. A timed-out read is left to the transport, which fails it when the connection closes.
/// </remarks>
internal sealed partial class RequestBodyStream
{
    /// <summary>
    /// Reads and discards what the app left of the body, up to <see cref="RequestBodyLimits.MaxBodySize"/> and for at
    /// most <see cref="RequestBodyLimits.DrainTimeout"/> (and <see cref="RequestBodyLimits.DrainIdleTimeout"/> without a
    /// byte), so that the connection can close without resetting: a client still sending when the socket closes with
    /// unread bytes gets a reset that destroys the response it has not read.
    /// </summary>
    /// <returns>True when the body was read to its end.</returns>
    public async Task<bool> DrainAsync()
    {
        if (TransportAtEnd)
        {
            return true;
        }

        if (_declaredLength > _limits.MaxBodySize)
        {
            return false;
        }

        var buffer = new byte[16 * 1024];
        var clock = Stopwatch.StartNew();
        try
        {
            while (!TransportAtEnd)
            {
                var left = RequestBodyLimits.DrainTimeout - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    return false;
                }

                await ReadTransportAsync(buffer, CancellationToken.None, left < RequestBodyLimits.DrainIdleTimeout ? left : RequestBodyLimits.DrainIdleTimeout).ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception exception) when (exception is BadRequestException or ObjectDisposedException)
        {
            return false;
        }
    }

    // One read of the transport: within the data rate's deadline (or the drain's), counted against the largest
    // size, its failure the client's.
    private async ValueTask<int> ReadTransportAsync(Memory<byte> buffer, CancellationToken cancellationToken, TimeSpan? limit = null)
    {
        var allowed = limit ?? AllowedWait();
        var clock = Stopwatch.StartNew();
        int read;
        try
        {
            var pending = _transport.ReadAsync(buffer, cancellationToken);
            if (pending.IsCompleted || allowed is not { } wait)
            {
                read = await pending.ConfigureAwait(false);
            }
            else
            {
                read = await WithinAsync(pending.AsTask(), wait).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (IsTransportFailure(exception, cancellationToken))
        {
            throw Broken(exception);
        }
        finally
        {
            _waited += clock.Elapsed;
        }

        return Track(read, buffer.Length);
    }

    // How long the next read may wait before the body is slower than the minimum rate: the grace period, or the time
    // the bytes so far buy at that rate, less the time already spent waiting. Null: no rate is enforced.
    private TimeSpan? AllowedWait()
    {
        if (_limits.MinDataRate <= 0)
        {
            return null;
        }

        var earned = TimeSpan.FromSeconds(_received / _limits.MinDataRate);
        var budget = earned > RequestBodyLimits.GracePeriod ? earned : RequestBodyLimits.GracePeriod;
        var left = budget - _waited;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private async Task<int> WithinAsync(Task<int> pending, TimeSpan wait)
    {
        try
        {
            return await pending.WaitAsync(wait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The transport cannot cancel the read; it fails when the connection closes. Observe that failure.
            _readAbandoned = true;
            _ = pending.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw new BadRequestException(408, "The request body arrived slower than the minimum data rate.");
        }
    }

    private int Track(int read, int requested)
    {
        if (read == 0 && requested > 0)
        {
            TransportAtEnd = true;
        }

        _received += read;
        if (_received > _limits.MaxBodySize)
        {
            throw TooLarge();
        }

        return read;
    }

    // Anything the transport throws but the app's own cancellation, a stale stream and the core's own verdicts.
    private bool IsTransportFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is not BadRequestException
        && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        && !(exception is ObjectDisposedException && _sealed);

    private static BadRequestException Broken(Exception exception) => BadRequestException.Find(exception) is { } known
        ? known
        : new BadRequestException(400, "The request body could not be read: " + exception.Message, exception);

    private BadRequestException TooLarge() =>
        new(413, $"The request body is larger than the limit of {_limits.MaxBodySize} bytes.");
}
