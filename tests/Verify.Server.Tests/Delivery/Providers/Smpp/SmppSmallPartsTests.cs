using Microsoft.Extensions.Time.Testing;
using Verify.Delivery;
using Verify.Delivery.Providers.Smpp;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery.Providers.Smpp;

/// <summary>The backoff, the segment id memory, id conversion, addressing defaults and a sender that never bound.</summary>
public sealed class SmppSmallPartsTests
{
    [Theory]
    [InlineData(0, 0.0, 500)]
    [InlineData(0, 0.999999, 1000)]
    [InlineData(1, 0.0, 1000)]
    [InlineData(3, 0.999999, 8000)]
    [InlineData(6, 0.0, 30_000)]
    [InlineData(6, 0.999999, 60_000)]
    [InlineData(1000, 0.999999, 60_000)]
    public void Backoff_DoublesToTheMaximumWithEqualJitter(int attempt, double random, int milliseconds) =>
        Assert.Equal(milliseconds, SmppBackoff.Delay(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), random).TotalMilliseconds, precision: 0);

    [Fact]
    public void SegmentIds_Remembered_ResolveToTheMessageUntilTheyExpire()
    {
        var time = new FakeTimeProvider();
        var ids = new SmppSegmentIds(time, capacity: 10, lifetime: TimeSpan.FromHours(1));
        ids.Remember("B", "A");

        Assert.Equal("A", ids.Resolve("B"));
        Assert.Equal("C", ids.Resolve("C"));
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal("B", ids.Resolve("B"));
    }

    [Fact]
    public void SegmentIds_OverCapacity_ForgetTheOldest()
    {
        var ids = new SmppSegmentIds(new FakeTimeProvider(), capacity: 3, lifetime: TimeSpan.FromHours(1));
        foreach (var i in Enumerable.Range(1, 5))
        {
            ids.Remember($"s{i}", $"m{i}");
        }

        Assert.Equal(3, ids.Count);
        Assert.Equal("s1", ids.Resolve("s1"));
        Assert.Equal("m5", ids.Resolve("s5"));
    }

    [Theory]
    [InlineData((int)SmppMessageIdFormat.AsIs, "1A2B", "1A2B")]
    [InlineData((int)SmppMessageIdFormat.SubmitHexReceiptDecimal, "1A2B", "6699")]
    [InlineData((int)SmppMessageIdFormat.SubmitHexReceiptDecimal, "not-hex", "not-hex")]
    [InlineData((int)SmppMessageIdFormat.SubmitDecimalReceiptHex, "0006699", "6699")]
    public void MessageIds_FromSubmit_GivesTheDecimalFormWhenConfigured(int format, string id, string expected) =>
        Assert.Equal(expected, SmppMessageIds.FromSubmit(id, (SmppMessageIdFormat)format));

    [Theory]
    [InlineData((int)SmppMessageIdFormat.AsIs, "6699", "6699")]
    [InlineData((int)SmppMessageIdFormat.SubmitHexReceiptDecimal, "0000006699", "6699")]
    [InlineData((int)SmppMessageIdFormat.SubmitDecimalReceiptHex, "1a2b", "6699")]
    public void MessageIds_FromReceipt_GivesTheDecimalFormWhenConfigured(int format, string id, string expected) =>
        Assert.Equal(expected, SmppMessageIds.FromReceipt(id, (SmppMessageIdFormat)format));

    [Theory]
    [InlineData("Verify", null, null, 5, 0)]
    [InlineData("Verify Bank", null, null, 5, 0)]
    [InlineData("+8613812345678", null, null, 1, 1)]
    [InlineData("95588", null, null, 1, 1)]
    [InlineData("95588", (byte)3, (byte)0, 3, 0)]
    [InlineData("", null, null, 0, 0)]
    public void SourceTonNpi_DefaultsFromTheSenderId(string source, byte? ton, byte? npi, byte expectedTon, byte expectedNpi) =>
        Assert.Equal((expectedTon, expectedNpi), SmppSmsSender.SourceTonNpi(new SmppOptions { SourceAddress = source, SourceTon = ton, SourceNpi = npi }));

    [Theory]
    [InlineData(10 * 60, "000000001000000R")]
    [InlineData(2 * 3600 + 5, "000000020005000R")]
    [InlineData(3 * 86400 + 3600, "000003010000000R")]
    public void RelativeTime_FollowsSection7_1_1(int seconds, string expected) =>
        Assert.Equal(expected, SmppSmsSender.RelativeTime(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public async Task SendAsync_NeverStarted_FailsAtOnce()
    {
        await using var sender = new SmppSmsSender(
            ProviderContexts.For(new SmppOptions { Host = "127.0.0.1", SystemId = "v", Password = "p" }, SmppProviderType.Name),
            TimeProvider.System,
            new ListLogger<SmppSmsSender>());

        var result = await sender.SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal("smpp not bound to the SMSC (not connected yet)", result.Error);
    }

    [Fact]
    public async Task SendAsync_Voice_IsNotSupported()
    {
        await using var sender = new SmppSmsSender(ProviderContexts.For(new SmppOptions(), SmppProviderType.Name), TimeProvider.System, new ListLogger<SmppSmsSender>());

        var result = await sender.SendAsync(SmsMessages.Login(channel: DeliveryChannel.Voice), CancellationToken.None);

        Assert.Equal("smpp sends SMS only", result.Error);
    }
}
