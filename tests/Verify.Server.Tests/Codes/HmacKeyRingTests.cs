using Verify.Engine.Codes;

namespace Verify.Server.Tests.Codes;

public sealed class HmacKeyRingTests
{
    [Fact]
    public void FromOptions_ShortKey_IsRefusedNamingTheKey()
    {
        HmacKeyRing.FromOptions(new HashingOptions { ActiveKeyId = "k1", Keys = { ["k1"] = Convert.ToBase64String(new byte[16]) } }, out var errors);

        Assert.Contains(errors, e => e.StartsWith("Verify:Hashing:Keys:k1:", StringComparison.Ordinal));
    }

    [Fact]
    public void FromOptions_ActiveKeyNotConfigured_IsRefused()
    {
        HmacKeyRing.FromOptions(new HashingOptions { ActiveKeyId = "k2", Keys = { ["k1"] = Convert.ToBase64String(new byte[32]) } }, out var errors);

        Assert.Contains(errors, e => e.StartsWith("Verify:Hashing:ActiveKeyId", StringComparison.Ordinal));
    }

    [Fact]
    public void FromOptions_NotBase64_IsRefused()
    {
        HmacKeyRing.FromOptions(new HashingOptions { ActiveKeyId = "k1", Keys = { ["k1"] = "not base64 at all, clearly!!" } }, out var errors);

        Assert.Single(errors);
    }

    [Fact]
    public void Ephemeral_IsMarkedSoTheHostWarns()
    {
        Assert.True(HmacKeyRing.Ephemeral().IsEphemeral);
        Assert.NotEqual(HmacKeyRing.Ephemeral().ActiveKey, HmacKeyRing.Ephemeral().ActiveKey);
    }
}
