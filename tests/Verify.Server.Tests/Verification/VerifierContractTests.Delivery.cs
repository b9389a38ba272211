using Verify.Delivery;
using Verify.Delivery.Providers;
using Verify.Engine.Storage;
using Verify.Server.Tests.Infrastructure;
using Verify.Server.Verification;
using Verify.Engine.Verification;

namespace Verify.Server.Tests.Verification;

/// <summary>Delivery receipts and the voice channel, over each store.</summary>
public abstract partial class VerifierContractTests
{
    [Fact]
    public async Task Receipt_DeliveredForTheCurrentSend_ShowsDeliveredAndIsTheFirstFinalWord()
    {
        var record = await Fixture.StartedAsync(Fixture.Start());

        var applied = await ReceiptAsync(Fixture.Capture.LastMessageId, DeliveryState.Delivered);

        Assert.Equal(ReceiptOutcome.Applied, applied.Outcome);
        Assert.True(applied.FirstFinal);
        Assert.Equal((record.Id, record.LastSendId, "CN"), (applied.Handoff!.VerificationId, applied.Handoff.SendId, applied.Handoff.RegionCode));
        Assert.Equal(Fixture.Time.GetUtcNow(), applied.Handoff.SentAt);
        Assert.Equal(DeliveryState.Delivered, (await GetAsync(record.Id))!.DeliveryStatus);
    }

    [Fact]
    public async Task Receipt_RepeatedByTheProvider_ChangesNothingAndIsNotCountedTwice()
    {
        await Fixture.StartedAsync(Fixture.Start());
        var id = Fixture.Capture.LastMessageId;
        await ReceiptAsync(id, DeliveryState.Delivered);

        var again = await ReceiptAsync(id, DeliveryState.Delivered);

        Assert.Equal(ReceiptOutcome.Stale, again.Outcome);
        Assert.False(again.FirstFinal);
    }

    [Fact]
    public async Task Receipt_SentAfterDelivered_NeverMovesTheStatusBack()
    {
        var record = await Fixture.StartedAsync(Fixture.Start());
        var id = Fixture.Capture.LastMessageId;
        await ReceiptAsync(id, DeliveryState.Delivered);

        Assert.Equal(ReceiptOutcome.Stale, (await ReceiptAsync(id, DeliveryState.Sent)).Outcome);
        Assert.Equal(ReceiptOutcome.Stale, (await ReceiptAsync(id, DeliveryState.Undelivered)).Outcome);
        Assert.Equal(DeliveryState.Delivered, (await GetAsync(record.Id))!.DeliveryStatus);
    }

    [Fact]
    public async Task Receipt_Undelivered_ShowsUndelivered()
    {
        var record = await Fixture.StartedAsync(Fixture.Start());

        await ReceiptAsync(Fixture.Capture.LastMessageId, DeliveryState.Undelivered);

        Assert.Equal(DeliveryState.Undelivered, (await GetAsync(record.Id))!.DeliveryStatus);
    }

    [Fact]
    public async Task Receipt_ForTheSendBeforeAResend_IsStaleAndTheResendsStatusStays()
    {
        var fixture = NewFixture(new Dictionary<string, string?> { ["Verify:Policies:login:ResendCooldown"] = "00:00:00" });
        var record = await fixture.StartedAsync(fixture.Start());
        var first = fixture.Capture.LastMessageId;
        await fixture.StartedAsync(fixture.Start());

        var applied = await fixture.Store.ApplyReceiptAsync(new DeliveryReceipt("capture", first, DeliveryState.Undelivered), fixture.Time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(ReceiptOutcome.Stale, applied.Outcome);
        Assert.True(applied.FirstFinal);
        Assert.Equal(DeliveryState.Sent, (await fixture.Store.GetAsync(record.Id, string.Empty, fixture.Time.GetUtcNow(), CancellationToken.None))!.DeliveryStatus);
    }

    [Fact]
    public async Task Receipt_UnknownMessageOrOtherProvider_IsUnknown()
    {
        await Fixture.StartedAsync(Fixture.Start());

        Assert.Equal(ReceiptOutcome.Unknown, (await ReceiptAsync("no-such-message", DeliveryState.Delivered)).Outcome);
        var otherProvider = await Fixture.Store.ApplyReceiptAsync(new DeliveryReceipt("elsewhere", Fixture.Capture.LastMessageId, DeliveryState.Delivered), Fixture.Time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(ReceiptOutcome.Unknown, otherProvider.Outcome);
    }

    [Fact]
    public async Task Receipt_AfterTheCodeExpired_IsStaleButStillCounted()
    {
        await Fixture.StartedAsync(Fixture.Start());
        Fixture.Time.Advance(TimeSpan.FromMinutes(6));

        var applied = await ReceiptAsync(Fixture.Capture.LastMessageId, DeliveryState.Delivered);

        Assert.Equal(ReceiptOutcome.Stale, applied.Outcome);
        Assert.True(applied.FirstFinal);
    }

    [Fact]
    public async Task Voice_NoRouteForCalls_RefusedBeforeAnythingIsCounted()
    {
        var outcome = await Fixture.Verifier.StartAsync(Fixture.Start() with { Channel = DeliveryChannel.Voice }, CancellationToken.None);

        Assert.Contains("call numbers in CN", Assert.IsType<StartOutcome.ChannelUnavailable>(outcome).Reason, StringComparison.Ordinal);
        Assert.Empty(Fixture.Capture.Messages);

        // No cooldown was set: a text goes out at once.
        await Fixture.StartedAsync(Fixture.Start());
    }

    [Fact]
    public async Task Voice_Start_IsACallAndAResendCanBeAText()
    {
        var fixture = NewFixture(new Dictionary<string, string?> { ["Verify:Policies:login:ResendCooldown"] = "00:00:00" });
        fixture.Capture.ServesVoice = true;

        var call = await fixture.StartedAsync(fixture.Start() with { Channel = DeliveryChannel.Voice });

        Assert.Equal(DeliveryChannel.Voice, call.Channel);
        Assert.Equal(DeliveryChannel.Voice, fixture.Capture.Last.Channel);
        Assert.Equal(DeliveryChannel.Voice, (await fixture.Store.GetAsync(call.Id, string.Empty, fixture.Time.GetUtcNow(), CancellationToken.None))!.Channel);

        var text = await fixture.StartedAsync(fixture.Start());

        Assert.Equal(call.Id, text.Id);
        Assert.Equal(DeliveryChannel.Sms, (await fixture.Store.GetAsync(call.Id, string.Empty, fixture.Time.GetUtcNow(), CancellationToken.None))!.Channel);
    }

    private ValueTask<ReceiptApplication> ReceiptAsync(string messageId, DeliveryState state) =>
        Fixture.Store.ApplyReceiptAsync(new DeliveryReceipt("capture", messageId, state), Fixture.Time.GetUtcNow(), CancellationToken.None);

    private ValueTask<VerificationRecord?> GetAsync(string id) => Fixture.Store.GetAsync(id, string.Empty, Fixture.Time.GetUtcNow(), CancellationToken.None);
}
