using Verify.Server.Codes;

namespace Verify.Server.Tests.Codes;

public sealed class CodeHasherTests
{
    private readonly CodeHasher _hasher = new(HmacKeyRing.Ephemeral());

    [Fact]
    public void HashCode_SameInputs_SameHash() =>
        Assert.Equal(_hasher.HashCode("VE1", "123456", null), _hasher.HashCode("VE1", "123456", null));

    [Fact]
    public void HashCode_OtherVerificationId_OtherHash() =>
        Assert.NotEqual(_hasher.HashCode("VE1", "123456", null), _hasher.HashCode("VE2", "123456", null));

    [Fact]
    public void HashCode_FieldsAreLengthPrefixed_ShiftingABoundaryChangesTheHash() =>
        Assert.NotEqual(_hasher.HashCode("VE1", "23456", null), _hasher.HashCode("VE12", "3456", null));

    [Fact]
    public void HashCode_TransactionIsBound()
    {
        var a = TransactionDetails.Create("10.00", "EUR", "Shop");
        var b = TransactionDetails.Create("10.01", "EUR", "Shop");

        Assert.NotEqual(_hasher.HashCode("VE1", "123456", a), _hasher.HashCode("VE1", "123456", b));
        Assert.NotEqual(_hasher.HashCode("VE1", "123456", a), _hasher.HashCode("VE1", "123456", null));
    }

    [Fact]
    public void HashCode_OtherKey_OtherHash() =>
        Assert.NotEqual(_hasher.HashCode("VE1", "123456", null), new CodeHasher(HmacKeyRing.Ephemeral()).HashCode("VE1", "123456", null));

    [Fact]
    public void HashCodeWithEveryKey_ContainsTheActiveKeysHash()
    {
        var all = _hasher.HashCodeWithEveryKey("VE1", "123456", null);

        Assert.Equal(_hasher.HashCode("VE1", "123456", null), all[_hasher.ActiveKeyId]);
    }
}
