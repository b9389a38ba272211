using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Verify.Engine.Throttling;

namespace Verify.Engine.Limits;

/// <summary>
/// What the per-IP limits count a call under. One subscriber holds a whole IPv6 prefix (a /64 at
/// least, RFC 6177), so counting the exact /128 let six starts from one /64 pass a limit of two; an
/// address is counted under its network of <see cref="LimitsOptions.Ipv6PrefixLength"/> (IPv4:
/// <see cref="LimitsOptions.Ipv4PrefixLength"/>). A call without a client IP is counted too: in one
/// bucket shared by every such call of its caller, so leaving the field out is no way around the limit.
/// </summary>
internal static class ClientBucket
{
    /// <summary>What every bucket of calls without a client IP starts with; no address does.</summary>
    public const string WithoutIpPrefix = "none:";

    /// <summary>
    /// The bucket: the address itself at full length (<c>203.0.113.7</c>, as earlier releases counted it), else its
    /// network (<c>2001:db8:1:2::/64</c>); <c>none:{caller}</c> without one.
    /// </summary>
    public static string Of(string? clientIp, string caller, LimitsOptions options)
    {
        if (clientIp is null)
        {
            return WithoutIpPrefix + KeySafe(caller);
        }

        var address = EmbeddedIpv4(IPAddress.Parse(clientIp));
        var length = address.AddressFamily == AddressFamily.InterNetworkV6 ? options.Ipv6PrefixLength : options.Ipv4PrefixLength;
        var bytes = address.GetAddressBytes();
        if (length >= bytes.Length * 8)
        {
            return address.ToString();
        }

        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return $"{new IPAddress(bytes)}/{length}";
    }

    /// <summary>
    /// The IPv4 address an IPv6 one carries, when it is one in IPv6 dress: mapped (<c>::ffff:a.b.c.d</c>), NAT64's
    /// well-known prefix (<c>64:ff9b::/96</c>, RFC 6052, where a translator shows every IPv4 client so) or the old
    /// compatible form (<c>::a.b.c.d</c>). Masked to a /64 instead, every IPv4 user behind a translator would share
    /// one bucket, and one of them could spend everyone's limit.
    /// </summary>
    private static IPAddress EmbeddedIpv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        var nat64 = bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && bytes.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0;
        var compatible = bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && bytes[12] != 0;
        return nat64 || compatible ? new IPAddress(bytes.AsSpan(12, 4)) : address;
    }

    /// <summary>Whether <paramref name="bucket"/> counts calls that carried no client IP.</summary>
    public static bool IsWithoutIp(string bucket) => bucket.StartsWith(WithoutIpPrefix, StringComparison.Ordinal);

    // A caller's name is free text in configuration; in a Redis key a brace would move the key to another slot.
    private static string KeySafe(string caller) =>
        caller.Length <= 64 && caller.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? caller
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(caller)))[..32];
}
