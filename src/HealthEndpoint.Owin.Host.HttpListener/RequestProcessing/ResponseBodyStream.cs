using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Owin.HealthEndpoint.Hosting;

/// <summary>
/// The response body as the app sees it. Small responses are buffered so that they go out with an exact
/// Content-Length; the headers are sent on the first write past the buffer, on a flush, or at the end.
/// </summary>
/// <remarks>
/// For HEAD every write is counted and discarded: HttpListener would otherwise put the bytes on the wire (or a
/// chunked terminator when no length is set), which corrupts the next response on a kept-alive connection.
/// </remarks>
internal sealed class ResponseBodyStream : Stream
{
    private readonly OwinCall _call;
    private readonly bool _discard;
    private readonly int _bufferSize;
    private MemoryStream? _buffer;
    private long _discarded;

    public ResponseBodyStream(OwinCall call, bool discard, int bufferSize)
    {
        _call = call;
        _discard = discard;
        _bufferSize = bufferSize;
    }

    /// <summary>
    /// True once a body byte was handed to HttpListener, which then sends the headers: from here on the
    /// response can only be completed or aborted, no longer replaced by a 500.
    /// </summary>
    public bool Started { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (!TryAbsorb(buffer.AsSpan(offset, count)))
        {
            var output = StartStreaming();
            Started = true;
            output.Write(buffer, offset, count);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TryAbsorb(buffer.Span))
        {
            return default;
        }

        var output = StartStreaming();
        Started = true;
        return output.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush()
    {
        if (!_discard)
        {
            StartStreaming().Flush();
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _discard ? Task.CompletedTask : StartStreaming().FlushAsync(cancellationToken);

    /// <summary>Sends the headers, with the exact length when the whole body is known, and the buffered bytes.</summary>
    public Task CompleteAsync()
    {
        if (_call.HeadersSent)
        {
            return Task.CompletedTask;
        }

        var length = _discard ? _discarded : _buffer?.Length ?? 0;
        var output = _call.SendHeaders(length);
        if (_discard || _buffer is null || _buffer.Length == 0)
        {
            return Task.CompletedTask;
        }

        Started = true;
        return output.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length)).AsTask();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private bool TryAbsorb(ReadOnlySpan<byte> bytes)
    {
        // HttpListener's asynchronous write frames zero bytes as a chunk of size 0, which is the end-of-body
        // marker: the rest of the body would follow the response and corrupt the connection.
        if (bytes.IsEmpty)
        {
            return true;
        }

        if (_discard)
        {
            _discarded += bytes.Length;
            return true;
        }

        if (_call.HeadersSent || (_buffer?.Length ?? 0) + bytes.Length > _bufferSize)
        {
            return false;
        }

        _buffer ??= new MemoryStream(Math.Min(_bufferSize, Math.Max(bytes.Length, 256)));
        _buffer.Write(bytes);
        return true;
    }

    // The body outgrew the buffer or the app flushed: send the headers without a known length (the app's own
    // Content-Length, else chunked) and whatever was buffered, then write through.
    private Stream StartStreaming()
    {
        if (_call.HeadersSent)
        {
            return _call.Output;
        }

        var output = _call.SendHeaders(knownLength: null);
        if (_buffer is { Length: > 0 })
        {
            Started = true;
            output.Write(_buffer.GetBuffer(), 0, (int)_buffer.Length);
        }

        _buffer = null;
        return output;
    }
}
