using Verify.Delivery.Providers;
using Verify.Delivery.Providers.Smpp;
using Verify.Server.Verification;
using Verify.Engine.Verification;

namespace Verify.Server.Tests.Delivery.Providers.Smpp;

/// <summary>
/// A submit the SMSC took without naming it, and a burst of receipts into a slow store, against the SMSC
/// built on the npm "smpp" package.
/// </summary>
public sealed class SmppAcceptedAndReceiptsIntegrationTests : IAsyncLifetime
{
    private const int Window = 3;

    private readonly SlowReceiptSink _sink = new(TimeSpan.FromMilliseconds(150));
    private SmppSmscProcess _smsc = null!;
    private SmppTestClient _client = null!;

    public async Task InitializeAsync()
    {
        _smsc = await SmppSmscProcess.StartAsync();
        var options = SmppTestClient.OptionsFor(_smsc.Port);
        options.WindowSize = Window;
        _client = await SmppTestClient.StartAsync(options, sink: _sink);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _smsc.DisposeAsync();
    }

    [Fact]
    public async Task SendAsync_StatusZeroWithAnEmptyMessageId_IsASendWithoutAnId()
    {
        // Status 0 is the SMSC taking the message: failing over would text the user a second time.
        await _smsc.CommandAsync(new { empty_message_id = true });

        var result = await _client.SendAsync();

        Assert.True(result.Accepted);
        Assert.Null(result.ProviderMessageId);
        Assert.Contains(_client.Log.Lines, line => line.Contains("without a message_id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_LongTextWithEmptyMessageIds_SubmitsEverySegmentAndIsASend()
    {
        await _smsc.CommandAsync(new { empty_message_id = true });

        var result = await _client.SendAsync(new string('a', 300));

        Assert.True(result.Accepted);
        Assert.Equal(2, _smsc.Events("submit_sm").Count);
    }

    [Fact]
    public async Task Receipts_ManyAtOnceIntoASlowStore_AreHandledAtMostWindowAtATimeAndAllAcknowledged()
    {
        const int count = 30;
        var sent = await _client.SendAsync();
        Assert.True(sent.Accepted);

        for (var i = 0; i < count; i++)
        {
            await _smsc.CommandAsync(new { receipt = sent.ProviderMessageId, stat = "DELIVRD" });
        }

        await _smsc.WaitForAsync("deliver_sm_resp", count: count, timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(count, _sink.Applied);
        Assert.InRange(_sink.MostAtOnce, 1, Window);
        Assert.All(_smsc.Events("deliver_sm_resp"), answer => Assert.Equal(0, answer.GetProperty("command_status").GetInt32()));
    }

    /// <summary>A receipt store that takes its time and records how many receipts it held at once.</summary>
    private sealed class SlowReceiptSink(TimeSpan delay) : IDeliveryReceiptSink
    {
        private int _inHand;
        private int _mostAtOnce;
        private int _applied;

        public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

        public int Applied => Volatile.Read(ref _applied);

        public async ValueTask<ReceiptOutcome> ApplyAsync(DeliveryReceipt receipt, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _inHand);
            int most;
            while (now > (most = Volatile.Read(ref _mostAtOnce)) && Interlocked.CompareExchange(ref _mostAtOnce, now, most) != most)
            {
            }

            try
            {
                await Task.Delay(delay, cancellationToken);
                Interlocked.Increment(ref _applied);
                return ReceiptOutcome.Applied;
            }
            finally
            {
                Interlocked.Decrement(ref _inHand);
            }
        }
    }
}
