using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Verify.Delivery;
using Verify.Delivery.Providers.Smpp;

namespace Verify.Server.Tests.Delivery.Providers.Smpp;

/// <summary>
/// submit_sm and deliver_sm against an SMSC built on the npm "smpp" package: what reaches the wire,
/// octet for octet and as that library decodes it, and receipts coming back to the sink.
/// </summary>
public sealed class SmppSubmitIntegrationTests : IAsyncLifetime
{
    private SmppSmscProcess _smsc = null!;
    private SmppTestClient _client = null!;

    public async Task InitializeAsync()
    {
        _smsc = await SmppSmscProcess.StartAsync();
        _client = await SmppTestClient.StartAsync(SmppTestClient.OptionsFor(_smsc.Port));
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _smsc.DisposeAsync();
    }

    [Fact]
    public async Task SendAsync_Gsm7Text_SubmitsOneSeptetPerOctetWithTheExtensionEscapes()
    {
        var result = await _client.SendAsync("Code 123456 {€} @£$");

        Assert.True(result.Accepted, result.Error);
        var submit = await _smsc.WaitForAsync("submit_sm");
        Assert.Equal(submit.GetProperty("message_id").GetString(), result.ProviderMessageId);
        // C o d e ␠ 1 2 3 4 5 6 ␠ then ESC+0x28 '{', ESC+0x65 '€', ESC+0x29 '}', ␠, '@' 0x00, '£' 0x01, '$' 0x02 (TS 23.038).
        Assert.Equal("436f64652031323334353620" + "1b28" + "1b65" + "1b29" + "20" + "000102", submit.GetProperty("short_message").GetString());
        Assert.Equal("Code 123456 {€} @£$", submit.GetProperty("text").GetString());
        Assert.Equal(0, submit.GetProperty("data_coding").GetInt32());
        Assert.Equal(0, submit.GetProperty("esm_class").GetInt32());
        Assert.Equal(JsonValueKind.Null, submit.GetProperty("udh").ValueKind);
        Assert.Equal(1, submit.GetProperty("registered_delivery").GetInt32());
        Assert.Equal("Verify", submit.GetProperty("source_addr").GetString());
        Assert.Equal(5, submit.GetProperty("source_addr_ton").GetInt32());
        Assert.Equal(0, submit.GetProperty("source_addr_npi").GetInt32());
        Assert.Equal("8613812345678", submit.GetProperty("destination_addr").GetString());
        Assert.Equal(1, submit.GetProperty("dest_addr_ton").GetInt32());
        Assert.Equal(1, submit.GetProperty("dest_addr_npi").GetInt32());
        Assert.Equal(string.Empty, submit.GetProperty("validity_period").GetString());
    }

    [Fact]
    public async Task SendAsync_ChineseText_SubmitsUcs2BigEndian()
    {
        var result = await _client.SendAsync("您的验证码是123456");

        Assert.True(result.Accepted, result.Error);
        var submit = await _smsc.WaitForAsync("submit_sm");
        Assert.Equal(8, submit.GetProperty("data_coding").GetInt32());
        Assert.Equal("60a876849a8c8bc17801662f003100320033003400350036", submit.GetProperty("short_message").GetString());
        Assert.Equal("您的验证码是123456", submit.GetProperty("text").GetString());
        Assert.Equal(0, submit.GetProperty("esm_class").GetInt32());
    }

    [Fact]
    public async Task SendAsync_LongGsm7Text_SplitsIntoSegmentsWithOneReference()
    {
        // 152 septets, then '€' (2 septets) would straddle the 153-septet boundary: it opens segment 2.
        var text = new string('a', 152) + "€" + string.Concat(Enumerable.Range(0, 20).Select(i => i.ToString(CultureInfo.InvariantCulture)));

        var result = await _client.SendAsync(text);

        Assert.True(result.Accepted, result.Error);
        var submits = await WaitForSubmitsAsync(2);
        var reference = submits[0].GetProperty("udh").GetString()![6..8];
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal($"050003{reference}02{i + 1:x2}", submits[i].GetProperty("udh").GetString());
            Assert.Equal(0x40, submits[i].GetProperty("esm_class").GetInt32());
            Assert.Equal(0, submits[i].GetProperty("data_coding").GetInt32());
        }

        Assert.Equal(6 + 152, submits[0].GetProperty("short_message").GetString()!.Length / 2);
        Assert.Equal(text, string.Concat(submits.Select(s => s.GetProperty("text").GetString())));
        Assert.Equal(submits[0].GetProperty("message_id").GetString(), result.ProviderMessageId);
    }

    [Fact]
    public async Task SendAsync_LongUcs2Text_SplitsAt67UnitsWithoutBreakingASurrogatePair()
    {
        // 66 BMP characters, then an emoji (a surrogate pair) that cannot fit the 67th unit.
        var text = string.Concat(Enumerable.Repeat("验证", 33)) + "😀" + "码码码码码";

        var result = await _client.SendAsync(text);

        Assert.True(result.Accepted, result.Error);
        var submits = await WaitForSubmitsAsync(2);
        Assert.Equal(6 + 132, submits[0].GetProperty("short_message").GetString()!.Length / 2);
        Assert.Equal(text, string.Concat(submits.Select(s => s.GetProperty("text").GetString())));
        Assert.All(submits, s => Assert.Equal(8, s.GetProperty("data_coding").GetInt32()));
    }

    [Fact]
    public async Task Receipt_WithTlvs_ReachesTheSinkAndIsAcknowledged()
    {
        var result = await _client.SendAsync();

        await _smsc.CommandAsync(new { receipt = result.ProviderMessageId, stat = "DELIVRD" });

        await _client.WaitUntilAsync(() => !_client.Sink.Receipts.IsEmpty, "the receipt");
        var receipt = Assert.Single(_client.Sink.Receipts);
        Assert.Equal(SmppTestClient.ProviderName, receipt.Provider);
        Assert.Equal(result.ProviderMessageId, receipt.ProviderMessageId);
        Assert.Equal(DeliveryState.Delivered, receipt.State);
        Assert.Equal("DELIVRD", receipt.ProviderStatus);
        var answer = await _smsc.WaitForAsync("deliver_sm_resp");
        Assert.Equal(0, answer.GetProperty("command_status").GetInt32());
    }

    [Fact]
    public async Task Receipt_TextOnly_IsReadFromTheAppendixBFormat()
    {
        var result = await _client.SendAsync();

        await _smsc.CommandAsync(new { receipt = result.ProviderMessageId, stat = "UNDELIV", err = "012", tlvs = false });

        await _client.WaitUntilAsync(() => !_client.Sink.Receipts.IsEmpty, "the receipt");
        var receipt = Assert.Single(_client.Sink.Receipts);
        Assert.Equal(result.ProviderMessageId, receipt.ProviderMessageId);
        Assert.Equal(DeliveryState.Undelivered, receipt.State);
        Assert.Equal("UNDELIV err:012", receipt.ProviderStatus);
        Assert.Equal(0, (await _smsc.WaitForAsync("deliver_sm_resp")).GetProperty("command_status").GetInt32());
    }

    [Fact]
    public async Task Receipt_ForALaterSegment_NamesTheFirstSegmentsId()
    {
        var result = await _client.SendAsync(new string('x', 200));
        var submits = await WaitForSubmitsAsync(2);

        await _smsc.CommandAsync(new { receipt = submits[1].GetProperty("message_id").GetString(), stat = "DELIVRD" });

        await _client.WaitUntilAsync(() => !_client.Sink.Receipts.IsEmpty, "the receipt");
        Assert.Equal(result.ProviderMessageId, Assert.Single(_client.Sink.Receipts).ProviderMessageId);
        Assert.Equal(submits[0].GetProperty("message_id").GetString(), result.ProviderMessageId);
    }

    [Fact]
    public async Task Receipt_DecimalIdForAHexSubmitId_MatchesWithSubmitHexReceiptDecimal()
    {
        _client.Options.MessageIdFormat = SmppMessageIdFormat.SubmitHexReceiptDecimal;
        var result = await _client.SendAsync();
        var hex = (await _smsc.WaitForAsync("submit_sm")).GetProperty("message_id").GetString()!;
        var decimalId = BigInteger.Parse("0" + hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        Assert.Equal(decimalId, result.ProviderMessageId);

        await _smsc.CommandAsync(new { receipt = hex, text_id = decimalId, stat = "DELIVRD", tlvs = false });

        await _client.WaitUntilAsync(() => !_client.Sink.Receipts.IsEmpty, "the receipt");
        Assert.Equal(decimalId, Assert.Single(_client.Sink.Receipts).ProviderMessageId);
    }

    [Fact]
    public async Task DeliverSm_MobileOriginated_IsAcknowledgedAndReachesNothing()
    {
        await _smsc.CommandAsync(new { send_mo = "STOP" });

        var answer = await _smsc.WaitForAsync("deliver_sm_resp");
        Assert.Equal(0, answer.GetProperty("command_status").GetInt32());
        Assert.Empty(_client.Sink.Receipts);
    }

    [Fact]
    public async Task SendAsync_ValidityPeriod_IsSentRelative()
    {
        _client.Options.ValidityPeriod = TimeSpan.FromMinutes(10);

        await _client.SendAsync();

        Assert.Equal("000000001000000R", (await _smsc.WaitForAsync("submit_sm")).GetProperty("validity_period").GetString());
    }

    [Theory]
    [InlineData(0x58, "ESME_RTHROTTLED", true)]
    [InlineData(0x14, "ESME_RMSGQFUL", true)]
    [InlineData(0x08, "ESME_RSYSERR", true)]
    [InlineData(0x0B, "ESME_RINVDSTADR", false)]
    [InlineData(0x0A, "ESME_RINVSRCADR", false)]
    [InlineData(0x01, "ESME_RINVMSGLEN", false)]
    public async Task SendAsync_SmscRefuses_FailsNamingTheStatus(int status, string name, bool providerFault)
    {
        await _smsc.CommandAsync(new { submit_status = status });

        var result = await _client.SendAsync();

        Assert.False(result.Accepted);
        Assert.Equal(providerFault, result.ProviderFault);
        Assert.Contains(name, result.Error);
        Assert.Contains($"0x{status:X8}", result.Error);
    }

    [Fact]
    public async Task Logs_NeverCarryThePasswordTheTextOrTheFullNumber()
    {
        var result = await _client.SendAsync("Verify: 987654 is your code");
        await _smsc.CommandAsync(new { receipt = result.ProviderMessageId, stat = "DELIVRD" });
        await _client.WaitUntilAsync(() => !_client.Sink.Receipts.IsEmpty, "the receipt");
        await _smsc.CommandAsync(new { submit_status = 0x58 });
        await _client.SendAsync("Verify: 987654 is your code");
        await _client.Sender.StopAsync(CancellationToken.None);

        var log = string.Join("\n", _client.Log.Lines);
        Assert.Contains("bound as transceiver", log);
        Assert.DoesNotContain(SmppSmscProcess.Password, log);
        Assert.DoesNotContain("987654", log);
        Assert.DoesNotContain("13812345678", log);
    }

    private async Task<List<JsonElement>> WaitForSubmitsAsync(int count)
    {
        await _smsc.WaitForAsync("submit_sm", count: count);
        return [.. _smsc.Events("submit_sm")];
    }
}
