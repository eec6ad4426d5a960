using System;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Host.HttpListener;

/// <summary>
/// HttpListener's response stream, with a failed write turned into what the app needs to know: the client is gone
/// (the request's <c>owin.CallCancelled</c> fires) and the write throws an <see cref="IOException"/>, where
/// HttpListener would throw its own exception type, or with IgnoreWriteExceptions swallow the failure and let the
/// app stream a gigabyte into nothing.
/// </summary>
internal sealed class ClientWriteStream(Stream inner, HttpListenerCall call) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            inner.Write(buffer);
        }
        catch (Exception exception) when (IsClientGone(exception))
        {
            throw Gone(exception);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsClientGone(exception))
        {
            throw Gone(exception);
        }
    }

    public override void Flush()
    {
        try
        {
            inner.Flush();
        }
        catch (Exception exception) when (IsClientGone(exception))
        {
            throw Gone(exception);
        }
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsClientGone(exception))
        {
            throw Gone(exception);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private static bool IsClientGone(Exception exception) => exception is HttpListenerException or IOException or ObjectDisposedException;

    private IOException Gone(Exception exception)
    {
        call.MarkClientGone();
        return new IOException("The client closed the connection; the response cannot be sent.", exception);
    }
}
