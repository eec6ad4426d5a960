using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace HealthEndpoint.AspNetCore;

/// <summary>
/// <c>owin.ResponseBody</c> over an ASP.NET Core response: the status code and headers the core put in the OWIN
/// environment go to the <see cref="HttpResponse"/> before the first body byte (or at the end, for answers without
/// a body), exactly once. Nothing else is added: the answer's bytes and headers are the core's.
/// </summary>
internal sealed class OwinResponse : Stream
{
    private const string StatusCodeKey = "owin.ResponseStatusCode";

    private readonly HttpResponse _response;
    private readonly IDictionary<string, object> _environment;
    private readonly Dictionary<string, string[]> _headers;
    private bool _committed;

    public OwinResponse(HttpResponse response, IDictionary<string, object> environment, Dictionary<string, string[]> headers)
    {
        _response = response;
        _environment = environment;
        _headers = headers;
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

    /// <summary>Copies the status code and headers to the ASP.NET Core response, once; later calls do nothing.</summary>
    public void Commit()
    {
        if (_committed)
        {
            return;
        }

        _committed = true;
        if (_environment.TryGetValue(StatusCodeKey, out var status) && status is int statusCode)
        {
            _response.StatusCode = statusCode;
        }

        foreach (var header in _headers)
        {
            _response.Headers[header.Key] = new StringValues(header.Value);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Commit();
        return _response.Body.WriteAsync(buffer, offset, count, cancellationToken);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Commit();
        return _response.Body.WriteAsync(buffer, cancellationToken);
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Synchronous writes are off in ASP.NET Core; the core writes asynchronously.");

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Commit();
        return _response.Body.FlushAsync(cancellationToken);
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
