using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Owin.HealthEndpoint.Hosting;

/// <summary>The request body as the app sees it: read-only, and remembering whether it was read to the end.</summary>
/// <remarks>
/// HttpListener drains an unread request body before it reuses a connection. A response to a body that was
/// not read (a 405 to a 1 GiB POST) therefore closes the connection instead, so the server never reads what the
/// app did not want.
/// </remarks>
internal sealed class RequestBodyStream : Stream
{
    private readonly Stream _inner;

    public RequestBodyStream(Stream inner)
    {
        _inner = inner;
    }

    /// <summary>True once a read returned no bytes.</summary>
    public bool ReachedEnd { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Track(_inner.Read(buffer, offset, count), count);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Track(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false), buffer.Length);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Track(int read, int requested)
    {
        if (read == 0 && requested > 0)
        {
            ReachedEnd = true;
        }

        return read;
    }
}
