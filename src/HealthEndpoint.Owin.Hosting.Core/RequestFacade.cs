using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>
/// What the app is given for one request: its OWIN environment, its <c>owin.ResponseHeaders</c> and its
/// <c>owin.ResponseBody</c>, as one small object over the state its <see cref="ServerCall"/> keeps for the connection.
/// </summary>
/// <remarks>
/// <para>
/// The connection's call keeps the dictionaries, the buffer and the environment's values, and clears them for the
/// next request; each request gets a new facade, and only the request's own facade reaches that state. Once the
/// request is over its facade is sealed: every read, write or flush through it throws
/// <see cref="ObjectDisposedException"/>, so a task that outlives its request can neither see nor act on the next.
/// </para>
/// <para>
/// One object, not three: every object the host makes is paid for by every request, and a request that only sets
/// headers and writes a body then costs this facade and nothing else of the host's but its token.
/// </para>
/// </remarks>
internal sealed partial class RequestFacade : Stream
{
    private readonly ServerCall _call;

    public RequestFacade(ServerCall call)
    {
        _call = call;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => _call.IsCurrent(this);

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => _call.ResponseBody.Write(this, buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => _call.ResponseBody.Write(this, buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _call.ResponseBody.WriteAsync(this, buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _call.ResponseBody.WriteAsync(this, buffer, cancellationToken);

    public override void Flush() => _call.ResponseBody.Flush(this);

    public override Task FlushAsync(CancellationToken cancellationToken) => _call.ResponseBody.FlushAsync(this, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Throws unless this facade's request is the call's current one. Call it holding <see cref="ServerCall.Gate"/>.</summary>
    /// <exception cref="ObjectDisposedException">The request is over.</exception>
    internal void ThrowIfSealed()
    {
        if (!_call.IsCurrent(this))
        {
            throw new ObjectDisposedException(nameof(RequestFacade), "The request is over: its environment, response headers and response body can no longer be used.");
        }
    }

    // server.OnSendingHeaders of this request: a callback registered through a later request's delegate is that request's.
    internal void RegisterOnSendingHeaders(Action<object> callback, object state) => _call.RegisterOnSendingHeaders(this, callback, state);
}
