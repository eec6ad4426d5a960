using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>
/// <c>owin.ResponseBody</c>. Small responses are buffered so that they go out with an exact Content-Length and an
/// app that fails after writing some still gets an honest 500; the headers are sent on the first write past the
/// buffer, on a flush with something to send, or at the end.
/// </summary>
/// <remarks>
/// A body the response cannot have (HEAD, 204, 304) is counted and discarded, so HEAD's Content-Length is GET's
/// and no stray bytes follow a bodyless response on a kept-alive connection. A zero-byte write sends nothing (a
/// chunked transport would take it for the end of the body). Once the request is over the stream is sealed: a late
/// write throws <see cref="ObjectDisposedException"/> instead of reaching the connection's next response.
/// </remarks>
internal sealed class ResponseBodyStream : Stream
{
    private readonly ServerCall _call;
    private readonly ResponseBuffer _buffer;
    private readonly object _gate = new();
    private long _discarded;
    private long _remaining = -1;
    private bool _sealed;

    public ResponseBodyStream(ServerCall call, int bufferSize)
    {
        _call = call;
        _buffer = new ResponseBuffer(bufferSize);
    }

    /// <summary>True once a body byte or a flush reached the transport: the response can no longer become a 500.</summary>
    public bool Started { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_sealed;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (!TryAbsorb(buffer.AsSpan(offset, count)) && StartStreaming() is { } output)
        {
            Count(count);
            Started = true;
            output.Write(buffer, offset, count);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        TryAbsorb(buffer.Span) ? default : WriteThroughAsync(buffer, cancellationToken);

    public override void Flush()
    {
        if (HasSomethingToFlush() && StartStreaming() is { } output)
        {
            Started = true;
            output.Flush();
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        HasSomethingToFlush() ? FlushThroughAsync(cancellationToken) : Task.CompletedTask;

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

    /// <summary>Ends the stream's life: every later write or flush throws, and the buffer goes back to the pool.</summary>
    public void Seal()
    {
        lock (_gate)
        {
            _sealed = true;
            ReleaseBuffer();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private bool HasSomethingToFlush()
    {
        ThrowIfSealed();
        return _call.HeadersSent ? _call.Head.Framing != BodyFraming.None : _buffer.Length > 0 && !_call.IsHead;
    }

    // True when the bytes need not reach the transport now: buffered, counted for HEAD, or discarded.
    private bool TryAbsorb(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            ThrowIfSealed();
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

    private void ReleaseBuffer()
    {
        lock (_gate)
        {
            _buffer.Release();
        }
    }

    private void ThrowIfSealed()
    {
        if (_sealed)
        {
            throw new ObjectDisposedException(nameof(ResponseBodyStream), "The request is over: its response body can no longer be written.");
        }
    }
}
