using Microsoft.Extensions.Time.Testing;
using Verify.Delivery;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery;

/// <summary>Routing and failover over scripted providers: which provider a send goes to, and what happens when it fails.</summary>
public sealed class DeliveryRouterTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
    private DeliveryHarness _delivery = null!;

    public Task InitializeAsync()
    {
        _delivery = new DeliveryHarness(Settings(), _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _delivery.DisposeAsync();

    [Fact]
    public async Task SendAsync_FirstProviderTakesIt_OnlyTheFirstIsCalled()
    {
        var result = await _delivery.Router.SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Equal("primary", result.Provider);
        Assert.Equal("primary-1", result.ProviderMessageId);
        Assert.Single(_delivery.Provider("primary").Calls);
        Assert.Empty(_delivery.Provider("secondary").Calls);
    }

    [Fact]
    public async Task SendAsync_FirstProviderRefuses_TheSecondSendsTheSameMessage()
    {
        _delivery.Provider("primary").Behaviour = ScriptedSmsSender.Refuse;
        var message = SmsMessages.Login();

        var result = await _delivery.Router.SendAsync(message, CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Equal("secondary", result.Provider);
        var sent = Assert.Single(_delivery.Provider("secondary").Calls);
        Assert.Same(message, sent);
        Assert.Single(_delivery.Provider("primary").Calls);
    }

    [Fact]
    public async Task SendAsync_FirstProviderThrows_IsAFailureAndTheSecondSends()
    {
        _delivery.Provider("primary").Behaviour = (_, _) => throw new HttpRequestException("connection reset");

        var result = await _delivery.Router.SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Equal("secondary", result.Provider);
    }

    [Fact]
    public async Task SendAsync_EveryProviderFails_FailsNamingEachOnceAndTriesEachOnce()
    {
        _delivery.Provider("primary").Behaviour = ScriptedSmsSender.Refuse;
        _delivery.Provider("secondary").Behaviour = ScriptedSmsSender.Refuse;

        var result = await _delivery.Router.SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal("HTTP 503; HTTP 503", result.Error);
        Assert.Single(_delivery.Provider("primary").Calls);
        Assert.Single(_delivery.Provider("secondary").Calls);
    }

    [Fact]
    public async Task SendAsync_PurposeWithItsOwnRoute_GoesThere()
    {
        var result = await _delivery.Router.SendAsync(SmsMessages.Login() with { Purpose = "payment" }, CancellationToken.None);

        Assert.Equal("payments", result.Provider);
        Assert.Empty(_delivery.Provider("primary").Calls);
    }

    [Fact]
    public async Task SendAsync_CountryWithItsOwnRoute_GoesThere()
    {
        var result = await _delivery.Router.SendAsync(SmsMessages.Login("+447400123456"), CancellationToken.None);

        Assert.Equal("uk", result.Provider);
    }

    [Fact]
    public async Task SendAsync_Voice_GoesToTheVoiceRoute()
    {
        var result = await _delivery.Router.SendAsync(SmsMessages.Login(channel: DeliveryChannel.Voice), CancellationToken.None);

        Assert.Equal("caller", result.Provider);
    }

    [Fact]
    public async Task CanServe_VoiceWhereNoVoiceRouteMatches_IsFalse()
    {
        _delivery.Reload(new() { ["Verify:Delivery:Routes:2:Countries:0"] = "CN" });

        Assert.True(_delivery.Router.CanServe("login", "CN", DeliveryChannel.Voice));
        Assert.False(_delivery.Router.CanServe("login", "US", DeliveryChannel.Voice));
        Assert.True(_delivery.Router.CanServe("login", "US", DeliveryChannel.Sms));
        var result = await _delivery.Router.SendAsync(SmsMessages.Login("+12025550123", channel: DeliveryChannel.Voice), CancellationToken.None);
        Assert.False(result.Accepted);
    }

    [Fact]
    public async Task SendAsync_FirstProviderHangs_TheSecondSendsAfterTheFirstsTimeout()
    {
        await using var delivery = new DeliveryHarness(Settings(timeout: "00:00:00.2"));
        delivery.Provider("primary").Behaviour = ScriptedSmsSender.Hang;

        var result = await delivery.Router.SendAsync(SmsMessages.Login(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.Accepted);
        Assert.Equal("secondary", result.Provider);
    }

    [Fact]
    public async Task SendAsync_CallerGivesUp_CancelsWithoutTryingTheNext()
    {
        _delivery.Provider("primary").Behaviour = ScriptedSmsSender.Hang;
        using var caller = new CancellationTokenSource();

        var send = _delivery.Router.SendAsync(SmsMessages.Login(), caller.Token);
        caller.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(_delivery.Provider("secondary").Calls);
    }

    [Fact]
    public async Task SendAsync_ConcurrencyCapFull_GoesToTheNextAtOnce()
    {
        await using var delivery = new DeliveryHarness(Settings(maxConcurrency: 1));
        var release = new TaskCompletionSource<SendResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        delivery.Provider("primary").Behaviour = (_, _) => release.Task;

        var first = delivery.Router.SendAsync(SmsMessages.Login(), CancellationToken.None);
        var second = await delivery.Router.SendAsync(SmsMessages.Login("+8613900001111"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        release.SetResult(SendResult.Success("late"));

        Assert.Equal("secondary", second.Provider);
        Assert.Equal("primary", (await first).Provider);
        Assert.Single(delivery.Provider("primary").Calls);
    }

    [Fact]
    public async Task SendAsync_BreakerOpens_SkipsTheProviderUntilTheBreakEndsThenTriesItAgain()
    {
        var primary = _delivery.Provider("primary");
        primary.Behaviour = ScriptedSmsSender.Refuse;

        // MinimumThroughput 4 at ratio 0.5: four failures in the sampling window open it.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("secondary", (await _delivery.Router.SendAsync(SmsMessages.Login(), CancellationToken.None)).Provider);
        }

        Assert.Equal(4, primary.Calls.Count);
        Assert.Equal("secondary", (await _delivery.Router.SendAsync(SmsMessages.Login(), CancellationToken.None)).Provider);
        Assert.Equal(4, primary.Calls.Count);

        primary.Behaviour = null;
        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal("primary", (await _delivery.Router.SendAsync(SmsMessages.Login(), CancellationToken.None)).Provider);
        Assert.Equal("primary", (await _delivery.Router.SendAsync(SmsMessages.Login(), CancellationToken.None)).Provider);
        Assert.Equal(6, primary.Calls.Count);
    }

    [Fact]
    public async Task SendAsync_ProviderRejectsTheNumber_NextIsTriedButTheBreakerCountsNothing()
    {
        var primary = _delivery.Provider("primary");
        primary.Behaviour = ScriptedSmsSender.RejectNumber;

        for (var i = 0; i < 8; i++)
        {
            Assert.Equal("secondary", (await _delivery.Router.SendAsync(SmsMessages.Login(), CancellationToken.None)).Provider);
        }

        primary.Behaviour = null;
        Assert.Equal("primary", (await _delivery.Router.SendAsync(SmsMessages.Login(), CancellationToken.None)).Provider);
        Assert.Equal(9, primary.Calls.Count);
    }

    [Fact]
    public async Task SendAsync_ProviderThatCannotServeTheCountry_IsSkippedWithoutACall()
    {
        _delivery.Provider("primary").Serves = (region, _) => region == "CN";

        var result = await _delivery.Router.SendAsync(SmsMessages.Login("+12025550123"), CancellationToken.None);

        Assert.Equal("secondary", result.Provider);
        Assert.Empty(_delivery.Provider("primary").Calls);
    }

    [Fact]
    public void CanServe_NoProviderOfTheRouteServesTheCountry_IsFalse()
    {
        _delivery.Provider("primary").Serves = (region, _) => region == "CN";
        _delivery.Provider("secondary").Serves = (region, _) => region == "CN";

        Assert.False(_delivery.Router.CanServe("login", "US", DeliveryChannel.Sms));
        Assert.True(_delivery.Router.CanServe("login", "CN", DeliveryChannel.Sms));
    }

    [Fact]
    public async Task SendAsync_UnrelatedReloadWhileTheBreakerIsOpen_KeepsItOpen()
    {
        var primary = _delivery.Provider("primary");
        primary.Behaviour = ScriptedSmsSender.Refuse;
        for (var i = 0; i < 4; i++)
        {
            await _delivery.Router.SendAsync(SmsMessages.Login(), CancellationToken.None);
        }

        _delivery.Reload(new() { ["Verify:Delivery:Routes:0:Purposes:1"] = "signup" });
        primary.Behaviour = null;

        Assert.Equal("secondary", (await _delivery.Router.SendAsync(SmsMessages.Login(), CancellationToken.None)).Provider);
        Assert.Equal(4, primary.Calls.Count);
    }

    [Fact]
    public async Task SendAsync_RoutesReloaded_NewOrderAppliesToTheNextSend()
    {
        _delivery.Reload(new() { ["Verify:Delivery:Routes:3:Providers:0"] = "secondary", ["Verify:Delivery:Routes:3:Providers:1"] = "primary" });

        var result = await _delivery.Router.SendAsync(SmsMessages.Login(), CancellationToken.None);

        Assert.Equal("secondary", result.Provider);
    }

    private static Dictionary<string, string?> Settings(string timeout = "00:00:05", int maxConcurrency = 100)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Verify:Delivery:Routes:0:Purposes:0"] = "payment",
            ["Verify:Delivery:Routes:0:Providers:0"] = "payments",
            ["Verify:Delivery:Routes:1:Countries:0"] = "GB",
            ["Verify:Delivery:Routes:1:Providers:0"] = "uk",
            ["Verify:Delivery:Routes:2:Channel"] = "voice",
            ["Verify:Delivery:Routes:2:Providers:0"] = "caller",
            ["Verify:Delivery:Routes:3:Providers:0"] = "primary",
            ["Verify:Delivery:Routes:3:Providers:1"] = "secondary",
        };
        foreach (var name in new[] { "primary", "secondary", "payments", "uk", "caller" })
        {
            settings[$"Verify:Delivery:Providers:{name}:Type"] = "scripted";
            settings[$"Verify:Delivery:Providers:{name}:Timeout"] = timeout;
            settings[$"Verify:Delivery:Providers:{name}:MaxConcurrency"] = maxConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings[$"Verify:Delivery:Providers:{name}:Breaker:MinimumThroughput"] = "4";
        }

        return settings;
    }
}
