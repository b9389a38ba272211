using System.Diagnostics;
using Verify.Server.Tests.Infrastructure.Redis;

namespace Verify.Server.Tests.Delivery.Providers.Smpp;

/// <summary>
/// The session's life against an SMSC built on the npm "smpp" package: bind (and refused binds),
/// keep-alive both ways, reconnecting after a drop, unbind both ways, the window and the response timeout.
/// </summary>
public sealed class SmppSessionIntegrationTests : IAsyncLifetime
{
    private SmppSmscProcess _smsc = null!;

    public async Task InitializeAsync() => _smsc = await SmppSmscProcess.StartAsync();

    public async Task DisposeAsync() => await _smsc.DisposeAsync();

    [Fact]
    public async Task StartAsync_RightCredentials_BindsAsTransceiverV34AndSends()
    {
        await using var client = await SmppTestClient.StartAsync(SmppTestClient.OptionsFor(_smsc.Port));

        var bind = await _smsc.WaitForAsync("bind");
        Assert.True(bind.GetProperty("ok").GetBoolean());
        Assert.Equal(SmppSmscProcess.SystemId, bind.GetProperty("system_id").GetString());
        Assert.Equal(0x34, bind.GetProperty("interface_version").GetInt32());
        Assert.True((await client.SendAsync()).Accepted);
    }

    [Fact]
    public async Task StartAsync_WrongPassword_SendsFailFastAndBindIsRetried()
    {
        var options = SmppTestClient.OptionsFor(_smsc.Port);
        options.Password = "wrong";
        await using var client = await SmppTestClient.StartAsync(options, waitBound: false);

        await _smsc.WaitForAsync("bind", b => !b.GetProperty("ok").GetBoolean(), count: 3);
        var clock = Stopwatch.StartNew();
        var result = await client.SendAsync();

        Assert.False(result.Accepted);
        Assert.Contains("ESME_RBINDFAIL", result.Error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.Empty(_smsc.Events("submit_sm"));
    }

    [Fact]
    public async Task StartAsync_SmscDown_ReturnsAtOnceAndSendsFailFast()
    {
        var options = SmppTestClient.OptionsFor(FreePort.Next());
        var clock = Stopwatch.StartNew();

        await using var client = await SmppTestClient.StartAsync(options, waitBound: false);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"start took {clock.Elapsed}");
        await client.WaitUntilAsync(() => client.Log.Lines.Count(l => l.StartsWith("403 ", StringComparison.Ordinal)) >= 2, "two failed connects");
        var result = await client.SendAsync();

        Assert.False(result.Accepted);
        Assert.Contains("not bound", result.Error);
    }

    [Fact]
    public async Task SmscDropsTheConnection_ClientReconnectsAndSendsSucceedAgain()
    {
        var options = SmppTestClient.OptionsFor(_smsc.Port);
        options.ReconnectMinDelay = TimeSpan.FromSeconds(1); // at least 0.5 s unbound: room to send in between
        await using var client = await SmppTestClient.StartAsync(options);
        Assert.True((await client.SendAsync()).Accepted);

        await _smsc.CommandAsync(new { drop = true });
        await _smsc.WaitForAsync("close");
        await client.WaitUntilAsync(() => !client.Sender.IsBound, "the client to notice");
        Assert.False((await client.SendAsync()).Accepted);

        await _smsc.WaitForAsync("bind", b => b.GetProperty("ok").GetBoolean(), count: 2);
        await client.WaitUntilAsync(() => client.Sender.IsBound, "the client to bind again");
        Assert.True((await client.SendAsync()).Accepted);
        Assert.Contains(client.Log.Lines, l => l.StartsWith("405 ", StringComparison.Ordinal)); // reconnecting in …
    }

    [Fact]
    public async Task EnquireLink_IdleSession_IsSentEveryIntervalAndAnswered()
    {
        var options = SmppTestClient.OptionsFor(_smsc.Port);
        options.EnquireLinkInterval = TimeSpan.FromSeconds(1);
        await using var client = await SmppTestClient.StartAsync(options);

        await _smsc.WaitForAsync("enquire_link", count: 2, timeout: TimeSpan.FromSeconds(10));

        Assert.True(client.Sender.IsBound);
        Assert.Single(_smsc.Events("bind"));
    }

    [Fact]
    public async Task EnquireLink_FromTheSmsc_IsAnswered()
    {
        await using var client = await SmppTestClient.StartAsync(SmppTestClient.OptionsFor(_smsc.Port));

        await _smsc.CommandAsync(new { send_enquire_link = true });

        await _smsc.WaitForAsync("enquire_link_resp");
    }

    [Fact]
    public async Task EnquireLink_Unanswered_ConnectionIsTakenAsDeadAndRebound()
    {
        var options = SmppTestClient.OptionsFor(_smsc.Port);
        options.EnquireLinkInterval = TimeSpan.FromSeconds(1);
        options.ResponseTimeout = TimeSpan.FromSeconds(1);
        await using var client = await SmppTestClient.StartAsync(options);

        await _smsc.CommandAsync(new { enquire_link = false });
        await _smsc.WaitForAsync("close", timeout: TimeSpan.FromSeconds(10));
        await _smsc.CommandAsync(new { enquire_link = true });

        await _smsc.WaitForAsync("bind", count: 2);
        await client.WaitUntilAsync(() => client.Sender.IsBound, "the client to bind again");
        Assert.Contains(client.Log.Lines, l => l.Contains("enquire_link unanswered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Window_SmscHoldsResponses_NoMoreThanWindowSizeOutstanding()
    {
        var options = SmppTestClient.OptionsFor(_smsc.Port);
        options.WindowSize = 3;
        options.ResponseTimeout = TimeSpan.FromSeconds(10);
        await using var client = await SmppTestClient.StartAsync(options);
        await _smsc.CommandAsync(new { submit = "hold" });

        var sends = Enumerable.Range(0, 8).Select(_ => client.SendAsync()).ToList();
        await _smsc.WaitForAsync("submit_sm", count: 3);
        await Task.Delay(500); // time for a fourth to arrive, were the window not respected
        Assert.Equal(3, _smsc.Events("submit_sm").Count);

        await _smsc.CommandAsync(new { release = true });
        var results = await Task.WhenAll(sends);

        Assert.All(results, r => Assert.True(r.Accepted, r.Error));
        Assert.Equal(8, _smsc.Events("submit_sm").Count);
        Assert.All(_smsc.Events("submit_sm"), s => Assert.True(s.GetProperty("max_outstanding").GetInt32() <= 3));
    }

    [Fact]
    public async Task SendAsync_NoSubmitSmResp_FailsAfterTheResponseTimeout()
    {
        var options = SmppTestClient.OptionsFor(_smsc.Port);
        options.ResponseTimeout = TimeSpan.FromSeconds(1);
        await using var client = await SmppTestClient.StartAsync(options);
        await _smsc.CommandAsync(new { submit = "ignore" });

        var clock = Stopwatch.StartNew();
        var result = await client.SendAsync();

        Assert.False(result.Accepted);
        Assert.Contains("no answer to submit_sm within 1 s", result.Error);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
        Assert.True(client.Sender.IsBound);
    }

    [Fact]
    public async Task SendAsync_CancelledByTheRouter_Throws()
    {
        var options = SmppTestClient.OptionsFor(_smsc.Port);
        await using var client = await SmppTestClient.StartAsync(options);
        await _smsc.CommandAsync(new { submit = "ignore" });
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendAsync(cancellationToken: deadline.Token));
    }

    [Fact]
    public async Task StopAsync_UnbindsAndLaterSendsFail()
    {
        var client = await SmppTestClient.StartAsync(SmppTestClient.OptionsFor(_smsc.Port));

        await client.Sender.StopAsync(CancellationToken.None);

        await _smsc.WaitForAsync("unbind");
        Assert.False(client.Sender.IsBound);
        Assert.False((await client.SendAsync()).Accepted);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task Unbind_FromTheSmsc_IsAnsweredAndTheClientBindsAgain()
    {
        await using var client = await SmppTestClient.StartAsync(SmppTestClient.OptionsFor(_smsc.Port));

        await _smsc.CommandAsync(new { send_unbind = true });

        await _smsc.WaitForAsync("unbind_resp");
        await _smsc.WaitForAsync("bind", count: 2);
        await client.WaitUntilAsync(() => client.Sender.IsBound, "the client to bind again");
    }

    [Fact]
    public async Task UnknownCommand_FromTheSmsc_IsAnsweredWithGenericNack()
    {
        await using var client = await SmppTestClient.StartAsync(SmppTestClient.OptionsFor(_smsc.Port));

        await _smsc.CommandAsync(new { send_unknown = true });

        var nack = await _smsc.WaitForAsync("generic_nack");
        Assert.Equal(0x03, nack.GetProperty("command_status").GetInt32()); // ESME_RINVCMDID
        Assert.True(client.Sender.IsBound);
    }

    [Fact]
    public async Task SettingsChange_NewPassword_IsUsedOnANewBind()
    {
        await using var client = await SmppTestClient.StartAsync(SmppTestClient.OptionsFor(_smsc.Port));

        client.Options.Password = "changed";

        await _smsc.WaitForAsync("unbind");
        var rebind = await _smsc.WaitForAsync("bind", count: 2);
        Assert.False(rebind.GetProperty("ok").GetBoolean());
    }
}
