using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>
/// The decisions behind <c>owin.ResponseBody</c> (the <see cref="RequestFacade"/> the app writes to). Small
/// responses are buffered so that they go out with an exact Content-Length and an app that fails after writing some
/// still gets an honest 500; the headers are sent on the first write past the buffer, on a flush with something to
/// send, or at the end.
/// </summary>
/// <remarks>
/// A body the response cannot have (HEAD, 204, 304) is counted and discarded, so HEAD's Content-Length is GET's
/// and no stray bytes follow a bodyless response on a kept-alive connection. A zero-byte write sends nothing (a
/// chunked transport would take it for the end of the body). Kept by the connection and reset for each request:
/// every write names the facade it came through, and one whose request is over throws
/// <see cref="ObjectDisposedException"/> instead of reaching the connection's next response. Once the transport saw
/// the client leave (<see cref="ServerCall.ClientGone"/>) a write that would reach it throws an
/// <see cref="IOException"/>, on both hosts, so an app streaming a large body stops instead of writing into nothing.
/// </remarks>
internal sealed class ResponseBodyWriter
{
    private readonly ServerCall _call;
    private readonly ResponseBuffer _buffer;
    private long _discarded;
    private long _remaining = -1;

    public ResponseBodyWriter(ServerCall call, int bufferSize)
    {
        _call = call;
        _buffer = new ResponseBuffer(bufferSize);
    }

    /// <summary>True once a body byte or a flush reached the transport: the response can no longer become a 500.</summary>
    public bool Started { get; private set; }

    public void Write(RequestFacade caller, ReadOnlySpan<byte> buffer)
    {
        if (!TryAbsorb(caller, buffer) && StartStreaming() is { } output)
        {
            ThrowIfClientGone();
            Count(buffer.Length);
            Started = true;
            output.Write(buffer);
        }
    }

    public ValueTask WriteAsync(RequestFacade caller, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken) =>
        TryAbsorb(caller, buffer.Span) ? default : WriteThroughAsync(buffer, cancellationToken);

    public void Flush(RequestFacade caller)
    {
        if (HasSomethingToFlush(caller) && StartStreaming() is { } output)
        {
            Started = true;
            output.Flush();
        }
    }

    public Task FlushAsync(RequestFacade caller, CancellationToken cancellationToken) =>
        HasSomethingToFlush(caller) ? FlushThroughAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// Ends the body once the app's task completed: sends the headers with the exact length when the whole body is
    /// known, and the buffered bytes; after streaming, checks that a declared length was met.
    /// </summary>
    /// <exception cref="InvalidOperationException">The app declared a Content-Length and wrote fewer bytes.</exception>
    public ValueTask CompleteAsync()
    {
        if (_call.HeadersSent)
        {
            if (_remaining > 0)
            {
                throw new InvalidOperationException($"The app declared a Content-Length and left {_remaining} byte(s) unwritten.");
            }

            return default;
        }

        var output = _call.SendHeaders(_call.IsHead ? _discarded : _buffer.Length);
        if (_call.Head.Framing == BodyFraming.None || _buffer.Length == 0)
        {
            ReleaseBuffer();
            return default;
        }

        Started = true;
        var pending = output.WriteAsync(_buffer.Bytes);
        if (pending.IsCompletedSuccessfully)
        {
            ReleaseBuffer();
            return default;
        }

        return AwaitThenReleaseAsync(pending);
    }

    /// <summary>Ends the request's body: the buffer goes back to the pool and the counts start again for the next request.</summary>
    /// <remarks>The call has made the request's facade stale first, under the gate: a write through it that comes later throws before it reaches the buffer.</remarks>
    public void Reset()
    {
        ReleaseBuffer();
        _discarded = 0;
        _remaining = -1;
        Started = false;
    }

    private bool HasSomethingToFlush(RequestFacade caller)
    {
        lock (_call.Gate)
        {
            caller.ThrowIfSealed();
            return _call.HeadersSent ? _call.Head.Framing != BodyFraming.None : _buffer.Length > 0 && !_call.IsHead;
        }
    }

    // True when the bytes need not reach the transport now: buffered, counted for HEAD, or discarded.
    private bool TryAbsorb(RequestFacade caller, ReadOnlySpan<byte> bytes)
    {
        lock (_call.Gate)
        {
            caller.ThrowIfSealed();
            if (_call.HeadersSent)
            {
                return bytes.IsEmpty || _call.Head.Framing == BodyFraming.None;
            }

            if (_call.IsHead)
            {
                _discarded += bytes.Length;
                return true;
            }

            return bytes.IsEmpty || _buffer.TryAppend(bytes);
        }
    }

    // A declared Content-Length is a promise to the client: more bytes than it would run into the next response.
    private void Count(int bytes)
    {
        if (_remaining < 0)
        {
            return;
        }

        if (bytes > _remaining)
        {
            throw new InvalidOperationException("The app wrote more bytes than the Content-Length it declared.");
        }

        _remaining -= bytes;
    }

    private async ValueTask WriteThroughAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        if (await StartStreamingAsync(cancellationToken).ConfigureAwait(false) is { } output)
        {
            ThrowIfClientGone();
            Count(buffer.Length);
            Started = true;
            await output.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FlushThroughAsync(CancellationToken cancellationToken)
    {
        if (await StartStreamingAsync(cancellationToken).ConfigureAwait(false) is { } output)
        {
            Started = true;
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // The body outgrew the buffer or the app flushed: send the headers without a known length (the app's own
    // Content-Length, else streamed) and whatever was buffered, then write through. Null: the body is discarded.
    private async ValueTask<Stream?> StartStreamingAsync(CancellationToken cancellationToken)
    {
        if (_call.HeadersSent)
        {
            return _call.Head.Framing == BodyFraming.None ? null : _call.Output;
        }

        var output = BeginStreaming();
        if (output is not null && _buffer.Length > 0)
        {
            Started = true;
            await output.WriteAsync(_buffer.Bytes, cancellationToken).ConfigureAwait(false);
        }

        ReleaseBuffer();
        return output;
    }

    private Stream? StartStreaming()
    {
        if (_call.HeadersSent)
        {
            return _call.Head.Framing == BodyFraming.None ? null : _call.Output;
        }

        var output = BeginStreaming();
        if (output is not null && _buffer.Length > 0)
        {
            Started = true;
            output.Write(_buffer.Bytes.Span);
        }

        ReleaseBuffer();
        return output;
    }

    private Stream? BeginStreaming()
    {
        var output = _call.SendHeaders(knownLength: null);
        switch (_call.Head.Framing)
        {
            case BodyFraming.None:
                return null;
            case BodyFraming.ContentLength:
                _remaining = _call.Head.ContentLength;
                Count(_buffer.Length);
                break;
        }

        return output;
    }

    private async ValueTask AwaitThenReleaseAsync(ValueTask pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        finally
        {
            ReleaseBuffer();
        }
    }

    private void ThrowIfClientGone()
    {
        if (_call.ClientGone)
        {
            throw new IOException("The client closed the connection; the response cannot be sent.");
        }
    }

    private void ReleaseBuffer()
    {
        lock (_call.Gate)
        {
            _buffer.Release();
        }
    }
}
