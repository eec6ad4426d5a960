using System;
using System.Buffers;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>
/// The start of a response body, kept until the headers go out: pooled (a buffered response costs no allocation
/// once the pool is warm), grown on demand up to a limit. Not thread-safe: <see cref="ResponseBodyWriter"/> guards it.
/// </summary>
internal sealed class ResponseBuffer
{
    private readonly int _limit;
    private byte[]? _bytes;
    private int _length;

    public ResponseBuffer(int limit)
    {
        _limit = limit;
    }

    public int Length => _length;

    public ReadOnlyMemory<byte> Bytes => _bytes.AsMemory(0, _length);

    /// <summary>Appends <paramref name="bytes"/>, or returns false when they would take the buffer past its limit.</summary>
    public bool TryAppend(ReadOnlySpan<byte> bytes)
    {
        var length = _length + bytes.Length;
        if (length > _limit)
        {
            return false;
        }

        if (_bytes is null || length > _bytes.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_limit, Math.Max(length, Math.Max(256, (_bytes?.Length ?? 0) * 2))));
            _bytes?.AsSpan(0, _length).CopyTo(larger);
            if (_bytes is not null)
            {
                ArrayPool<byte>.Shared.Return(_bytes);
            }

            _bytes = larger;
        }

        bytes.CopyTo(_bytes.AsSpan(_length));
        _length = length;
        return true;
    }

    /// <summary>Empties the buffer and gives its array back to the pool.</summary>
    public void Release()
    {
        if (_bytes is not null)
        {
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = null;
        }

        _length = 0;
    }
}
