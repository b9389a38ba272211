using Verify.Engine.Limits;
using Verify.Engine.Throttling;

namespace Verify.Server.Tests.Limits;

public sealed class ClientBucketTests
{
    [Theory]
    [InlineData("2001:db8:1:2:3:4:5:6", 64, "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::", 64, "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:3:4:5:6", 56, "2001:db8:1::/56")]
    [InlineData("2001:db8:1:2:3:4:5:6", 128, "2001:db8:1:2:3:4:5:6")]
    [InlineData("2001:db8:1:ff:3:4:5:6", 60, "2001:db8:1:f0::/60")]
    public void Of_Ipv6_IsItsNetwork(string address, int prefix, string expected) =>
        Assert.Equal(expected, ClientBucket.Of(address, "shop", new LimitsOptions { Ipv6PrefixLength = prefix }));

    [Theory]
    [InlineData("203.0.113.7", 32, "203.0.113.7")]
    [InlineData("203.0.113.7", 24, "203.0.113.0/24")]
    [InlineData("203.0.113.7", 20, "203.0.112.0/20")]
    public void Of_Ipv4_IsTheAddressByDefault(string address, int prefix, string expected) =>
        Assert.Equal(expected, ClientBucket.Of(address, "shop", new LimitsOptions { Ipv4PrefixLength = prefix }));

    [Theory]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("64:ff9b::203.0.113.7", "203.0.113.7")]
    [InlineData("64:ff9b::cb00:7108", "203.0.113.8")]
    [InlineData("::203.0.113.9", "203.0.113.9")]
    [InlineData("::1", "::/64")]
    [InlineData("64:ff9b:1::203.0.113.7", "64:ff9b:1::/64")]
    public void Of_Ipv4InIpv6Dress_IsThatIpv4Address(string address, string expected) =>
        Assert.Equal(expected, ClientBucket.Of(address, "shop", new LimitsOptions()));

    [Fact]
    public void Of_NoAddress_IsTheCallersSharedBucket()
    {
        var options = new LimitsOptions();

        Assert.Equal("none:shop", ClientBucket.Of(null, "shop", options));
        Assert.NotEqual(ClientBucket.Of(null, "bank", options), ClientBucket.Of(null, "shop", options));
        Assert.True(ClientBucket.IsWithoutIp(ClientBucket.Of(null, "shop", options)));
        Assert.False(ClientBucket.IsWithoutIp(ClientBucket.Of("::1", "shop", options)));
    }

    [Fact]
    public void Of_CallerNameWithABrace_IsHashedSoTheKeyKeepsItsSlot()
    {
        var bucket = ClientBucket.Of(null, "a}b{c", new LimitsOptions());

        Assert.StartsWith(ClientBucket.WithoutIpPrefix, bucket, StringComparison.Ordinal);
        Assert.DoesNotContain('{', bucket);
        Assert.DoesNotContain('}', bucket);
    }
}
