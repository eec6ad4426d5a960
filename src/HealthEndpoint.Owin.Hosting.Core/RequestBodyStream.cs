using System;
using System.Buffers;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>
/// <c>owin.RequestBody</c>: read-only, read ahead before the app runs, and sealed when the request is over.
/// </summary>
/// <remarks>
/// <para>
/// Read ahead: Katana apps read their bodies synchronously, and a synchronous read of a slow upload holds a
/// thread-pool thread for as long as the client likes; a few hundred such clients starve every other request, health
/// probes included. So the host first reads up to <see cref="ReadAheadLimit"/> bytes asynchronously (no thread
/// waits on the network), and the app's reads are served from memory. A body larger than that is streamed past the
/// first <see cref="ReadAheadLimit"/> bytes, and a synchronous read of the rest does wait on the client.
/// </para>
/// <para>
/// Sealed: once the request is over every read throws <see cref="ObjectDisposedException"/>, so an app task that
/// outlives its request cannot read the connection's next request.
/// </para>
/// <para>
/// The limits and the drain of what the app left unread are in RequestBodyStream.Limits.cs.
/// </para>
/// </remarks>
internal sealed partial class RequestBodyStream : Stream
{
    /// <summary>How much of a body the host reads before the app runs.</summary>
    public const int ReadAheadLimit = 64 * 1024;

    private readonly Stream _transport;
    private readonly long? _declaredLength;
    private readonly RequestBodyLimits _limits;
    private readonly object _gate = new();
    private byte[]? _ahead;
    private int _aheadLength;
    private int _aheadOffset;
    private bool _sealed;
    private bool _readAbandoned;
    private long _received;
    private TimeSpan _waited;

    /// <param name="transport">The transport's body stream.</param>
    /// <param name="hasBody">The request declares a body (a Content-Length above 0 or a Transfer-Encoding).</param>
    /// <param name="declaredLength">Its Content-Length, when it has one.</param>
    /// <param name="limits">What this stream enforces; <see cref="RequestBodyLimits.None"/> when the transport does.</param>
    public RequestBodyStream(Stream transport, bool hasBody, long? declaredLength, RequestBodyLimits limits)
    {
        _transport = transport;
        _declaredLength = declaredLength;
        _limits = limits;
        TransportAtEnd = !hasBody;
    }

    /// <summary>
    /// True once the transport's body was read to its end: the connection is clean for the next request. A response
    /// to a body that was not (a 405 to a 1 GiB POST) closes the connection instead of reading what the app did not want.
    /// </summary>
    public bool TransportAtEnd { get; private set; }

    public override bool CanRead => !_sealed;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Reads the body's first <see cref="ReadAheadLimit"/> bytes, or all of it, before the app runs.</summary>
    /// <returns>A task that completes when they are in memory; it throws what the transport's read throws.</returns>
    public async Task ReadAheadAsync()
    {
        if (TransportAtEnd)
        {
            return;
        }

        // Refused before a byte is read, as Kestrel refuses a declared length past its limit.
        if (_declaredLength > _limits.MaxBodySize)
        {
            throw TooLarge();
        }

        var size = (int)Math.Min(_declaredLength ?? ReadAheadLimit, ReadAheadLimit);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        _ahead = buffer;
        var length = 0;
        while (length < size)
        {
            var read = await ReadTransportAsync(buffer.AsMemory(length, size - length), CancellationToken.None).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        // A declared length that was read whole is the end; a chunked body says so only on the next read.
        if (_declaredLength == length)
        {
            TransportAtEnd = true;
        }

        _aheadLength = length;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = ReadAhead(buffer);
        if (read >= 0)
        {
            return read;
        }

        if (_limits.MinDataRate <= 0)
        {
            try
            {
                return Track(_transport.Read(buffer), buffer.Length);
            }
            catch (Exception exception) when (IsTransportFailure(exception, CancellationToken.None))
            {
                throw Broken(exception);
            }
        }

        // The data rate needs a deadline, which only the asynchronous read has; the thread waits either way.
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            read = ReadTransportAsync(rented.AsMemory(0, buffer.Length), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            if (!_readAbandoned)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = ReadAhead(buffer.Span);
        return read >= 0 ? new ValueTask<int>(read) : ReadTransportAsync(buffer, cancellationToken);
    }

    /// <summary>Ends the stream's life: every later read throws, and the read-ahead buffer goes back to the pool.</summary>
    public void Seal()
    {
        lock (_gate)
        {
            _sealed = true;

            // A read left pending by a timeout may still write into the read-ahead buffer: the pool must not get it back.
            if (_ahead is not null && !_readAbandoned)
            {
                ArrayPool<byte>.Shared.Return(_ahead);
                _ahead = null;
            }
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    // What was read ahead, or -1 when it is used up and the transport must be read.
    private int ReadAhead(Span<byte> destination)
    {
        lock (_gate)
        {
            if (_sealed)
            {
                throw new ObjectDisposedException(nameof(RequestBodyStream), "The request is over: its body can no longer be read.");
            }

            var left = _aheadLength - _aheadOffset;
            if (left > 0 && destination.Length > 0)
            {
                var count = Math.Min(left, destination.Length);
                _ahead.AsSpan(_aheadOffset, count).CopyTo(destination);
                _aheadOffset += count;
                return count;
            }

            return TransportAtEnd || destination.Length == 0 ? 0 : -1;
        }
    }
}
