using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Owin.HealthEndpoint.Hosting.Kestrel;

/// <summary>
/// The response body as the app sees it. Small responses are buffered so that they go out with an exact
/// Content-Length (and an app that fails after writing some still gets an honest 500); the headers are sent on
/// the first write past the buffer, on a flush with something to send, or at the end.
/// </summary>
/// <remarks>
/// For HEAD every write is counted and discarded, so HEAD's Content-Length is GET's. A flush with nothing written
/// sends nothing, as on the HttpListener host: Kestrel would otherwise commit the headers, and a failure after it
/// could no longer become a 500.
/// </remarks>
internal sealed class ResponseBodyStream : Stream
{
    private readonly KestrelOwinCall _call;
    private readonly bool _discard;
    private readonly int _bufferSize;
    private MemoryStream? _buffer;
    private long _discarded;

    public ResponseBodyStream(KestrelOwinCall call, bool discard, int bufferSize)
    {
        _call = call;
        _discard = discard;
        _bufferSize = bufferSize;
    }

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
            StartStreaming().Write(buffer, offset, count);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        TryAbsorb(buffer.Span) ? default : WriteThroughAsync(buffer, cancellationToken);

    public override void Flush()
    {
        if (HasSomethingToFlush())
        {
            StartStreaming().Flush();
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        HasSomethingToFlush() ? FlushThroughAsync(cancellationToken) : Task.CompletedTask;

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

        return output.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length)).AsTask();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private bool HasSomethingToFlush() => !_discard && (_call.HeadersSent || _buffer is { Length: > 0 });

    private bool TryAbsorb(ReadOnlySpan<byte> bytes)
    {
        if (_discard)
        {
            _discarded += bytes.Length;
            return true;
        }

        if (bytes.IsEmpty)
        {
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

    private async ValueTask WriteThroughAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        var output = await StartStreamingAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    private async Task FlushThroughAsync(CancellationToken cancellationToken)
    {
        var output = await StartStreamingAsync(cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<Stream> StartStreamingAsync(CancellationToken cancellationToken)
    {
        if (_call.HeadersSent)
        {
            return _call.Output;
        }

        var output = _call.SendHeaders(knownLength: null);
        var buffered = _buffer;
        _buffer = null;
        if (buffered is { Length: > 0 })
        {
            await output.WriteAsync(buffered.GetBuffer().AsMemory(0, (int)buffered.Length), cancellationToken).ConfigureAwait(false);
        }

        return output;
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
            output.Write(_buffer.GetBuffer(), 0, (int)_buffer.Length);
        }

        _buffer = null;
        return output;
    }
}
