using System;
using System.Buffers;
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
    private byte[]? _buffer;
    private int _length;
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
    public ValueTask CompleteAsync()
    {
        if (_call.HeadersSent)
        {
            return default;
        }

        var length = _discard ? _discarded : _length;
        _call.SendHeaders(length);
        if (_discard || _length == 0)
        {
            ReleaseBuffer();
            return default;
        }

        // Straight into Kestrel's pipe: it copies the bytes before WriteAsync returns, and usually completes at once.
        var pending = _call.Writer.WriteAsync(_buffer.AsMemory(0, _length));
        if (pending.IsCompletedSuccessfully)
        {
            ReleaseBuffer();
            return default;
        }

        return AwaitThenReleaseAsync(pending);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private bool HasSomethingToFlush() => !_discard && (_call.HeadersSent || _length > 0);

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

        var buffered = _length;
        var length = buffered + bytes.Length;
        if (_call.HeadersSent || length > _bufferSize)
        {
            return false;
        }

        if (_buffer is null || length > _buffer.Length)
        {
            // Pooled: a buffered response costs no allocation once the pool is warm.
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_bufferSize, Math.Max(length, Math.Max(256, (_buffer?.Length ?? 0) * 2))));
            _buffer?.AsSpan(0, buffered).CopyTo(larger);
            ReleaseBuffer();
            _buffer = larger;
        }

        bytes.CopyTo(_buffer.AsSpan(buffered));
        _length = length;
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
        if (_length > 0)
        {
            await output.WriteAsync(_buffer.AsMemory(0, _length), cancellationToken).ConfigureAwait(false);
        }

        ReleaseBuffer();
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
        if (_length > 0)
        {
            output.Write(_buffer!, 0, _length);
        }

        ReleaseBuffer();
        return output;
    }

    private async ValueTask AwaitThenReleaseAsync(ValueTask<System.IO.Pipelines.FlushResult> pending)
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
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        _length = 0;
    }
}
