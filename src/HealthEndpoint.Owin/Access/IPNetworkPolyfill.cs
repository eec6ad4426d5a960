#if NETSTANDARD2_0
namespace System.Net;

/// <summary>
/// The part of .NET 8's <c>System.Net.IPNetwork</c> that <c>IpNetwork</c> uses for IPv6 networks (construction
/// from a network whose host bits are zero, and <see cref="Contains"/>), for netstandard2.0, which lacks the type.
/// </summary>
internal readonly struct IPNetwork
{
    private readonly byte[] _baseBytes;
    private readonly int _prefixLength;

    /// <summary>Creates the network; the caller has checked that the host bits of the address are zero.</summary>
    /// <param name="baseAddress">The network's first address.</param>
    /// <param name="prefixLength">The number of network bits.</param>
    public IPNetwork(IPAddress baseAddress, int prefixLength)
    {
        _baseBytes = baseAddress.GetAddressBytes();
        _prefixLength = prefixLength;
    }

    /// <summary>Whether <paramref name="address"/> has this network's family and its first prefix bits.</summary>
    /// <param name="address">The address; an IPv6 zone is ignored.</param>
    /// <returns><see langword="true"/> when the address is in the network.</returns>
    public bool Contains(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        if (bytes.Length != _baseBytes.Length)
        {
            return false;
        }

        for (var bit = 0; bit < _prefixLength; bit += 8)
        {
            var mask = _prefixLength - bit >= 8 ? 0xFF : 0xFF << (8 - (_prefixLength - bit));
            if (((bytes[bit / 8] ^ _baseBytes[bit / 8]) & mask) != 0)
            {
                return false;
            }
        }

        return true;
    }
}
#endif
