using Verify.Engine.Codes;
using Verify.Server.Tests.Infrastructure;
using Verify.Server.Verification;
using Verify.Engine.Verification;

namespace Verify.Server.Tests.Verification;

/// <summary>The documented rotation: add the new key, make it active, keep the old one until codes under it expire.</summary>
public abstract partial class VerifierContractTests
{
    private static readonly string OldKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly string NewKey = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public async Task KeyRotation_CodeIssuedUnderOldKey_StillValidAfterTheNewKeyBecomesActive()
    {
        var before = NewFixture(keys: Ring("old", ("old", OldKey)));
        var record = await before.StartedAsync(before.Start());
        var code = before.Capture.LastCode;

        var afterRotation = before.VerifierWith(Ring("new", ("old", OldKey), ("new", NewKey)));
        var check = await afterRotation.CheckAsync(new CheckInput(record.Id, null, null, code, null, null), CancellationToken.None);

        Assert.Equal("old", record.Code.KeyId);
        Assert.True(Assert.IsType<CheckOutcome.Checked>(check).Valid);
    }

    [Fact]
    public async Task KeyRotation_OldKeyRemovedFromConfiguration_CodeNoLongerValid()
    {
        var before = NewFixture(keys: Ring("old", ("old", OldKey)));
        var record = await before.StartedAsync(before.Start());
        var code = before.Capture.LastCode;

        var afterRemoval = before.VerifierWith(Ring("new", ("new", NewKey)));
        var check = await afterRemoval.CheckAsync(new CheckInput(record.Id, null, null, code, null, null), CancellationToken.None);

        Assert.False(Assert.IsType<CheckOutcome.Checked>(check).Valid);
    }

    [Fact]
    public async Task KeyRotation_AfterRotation_NewCodesUseTheNewKey()
    {
        var fixture = NewFixture(keys: Ring("new", ("old", OldKey), ("new", NewKey)));

        var record = await fixture.StartedAsync(fixture.Start());

        Assert.Equal("new", record.Code.KeyId);
    }

    private static HmacKeyRing Ring(string active, params (string Id, string Secret)[] keys)
    {
        var ring = HmacKeyRing.FromOptions(new HashingOptions { ActiveKeyId = active, Keys = keys.ToDictionary(k => k.Id, k => k.Secret) }, out var errors);
        Assert.Empty(errors);
        return ring;
    }
}
