using Verify.Engine.Codes;

namespace Verify.Server.Tests.Codes;

public sealed class CodeHasherTests
{
    private readonly CodeHasher _hasher = new(HmacKeyRing.Ephemeral());

    [Fact]
    public void HashCode_SameInputs_SameHash() =>
        Assert.Equal(_hasher.HashCode("123456", null), _hasher.HashCode("123456", null));

    [Fact]
    public void HashCode_IsAVersionByteAndAnHmacSha256()
    {
        var hash = _hasher.HashCode("123456", null);

        Assert.Equal(33, hash.Length);
        Assert.Equal(CodeHasher.Version, hash[0]);
    }

    [Fact]
    public void HashCode_OtherCode_OtherHash() =>
        Assert.NotEqual(_hasher.HashCode("123456", null), _hasher.HashCode("123457", null));

    [Fact]
    public void HashCode_FieldsAreLengthPrefixed_ShiftingABoundaryChangesTheHash() =>
        Assert.NotEqual(
            _hasher.HashCode("12345", TransactionDetails.Create("6.00", "EUR", "Shop")),
            _hasher.HashCode("123456", TransactionDetails.Create(".00", "EUR", "Shop")));

    [Fact]
    public void HashCode_TransactionIsBound()
    {
        var a = TransactionDetails.Create("10.00", "EUR", "Shop");
        var b = TransactionDetails.Create("10.01", "EUR", "Shop");

        Assert.NotEqual(_hasher.HashCode("123456", a), _hasher.HashCode("123456", b));
        Assert.NotEqual(_hasher.HashCode("123456", a), _hasher.HashCode("123456", null));
        Assert.NotEqual(_hasher.FingerprintTransaction(a), _hasher.FingerprintTransaction(b));
    }

    [Fact]
    public void HashCode_OtherKey_OtherHash() =>
        Assert.NotEqual(_hasher.HashCode("123456", null), new CodeHasher(HmacKeyRing.Ephemeral()).HashCode("123456", null));

    [Fact]
    public void HashesWithEveryKey_HoldTheActiveKeysHashAndFingerprint()
    {
        var transaction = TransactionDetails.Create("10.00", "EUR", "Shop");

        var active = Assert.Single(_hasher.HashesWithEveryKey("123456", transaction), h => h.KeyId == _hasher.ActiveKeyId);

        Assert.Equal(_hasher.HashCode("123456", transaction), active.Code);
        Assert.Equal(_hasher.FingerprintTransaction(transaction), active.Transaction);
    }

    [Fact]
    public void HashesWithEveryKey_Legacy_BindTheIdWithoutAVersionByte()
    {
        var first = Assert.Single(_hasher.HashesWithEveryKey("123456", null, legacyVerificationId: "VE1"));
        var second = Assert.Single(_hasher.HashesWithEveryKey("123456", null, legacyVerificationId: "VE2"));

        Assert.Equal(32, first.Code.Length);
        Assert.NotEqual(first.Code, second.Code);
        Assert.NotEqual(_hasher.HashCode("123456", null).AsSpan(1).ToArray(), first.Code);
    }
}
