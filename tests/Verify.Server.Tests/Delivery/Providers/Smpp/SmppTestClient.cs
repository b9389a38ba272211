using System.Diagnostics;
using Verify.Delivery;
using Verify.Delivery.Providers;
using Verify.Delivery.Providers.Smpp;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery.Providers.Smpp;

/// <summary>An <see cref="SmppSmsSender"/> over options a test can change live, with its receipt sink and log.</summary>
internal sealed class SmppTestClient : IAsyncDisposable
{
    public const string ProviderName = "smpp-test";

    private SmppTestClient(SmppOptions options, IDeliveryReceiptSink? sink)
    {
        Options = options;
        Sender = new SmppSmsSender(ProviderContexts.For(options, SmppProviderType.Name, ProviderName, receipts: sink ?? Sink), TimeProvider.System, Log);
    }

    public SmppOptions Options { get; }

    public CapturingReceiptSink Sink { get; } = new();

    public ListLogger<SmppSmsSender> Log { get; } = new();

    public SmppSmsSender Sender { get; }

    /// <summary>Options for the SMSC on <paramref name="port"/>: the right credentials, short timers.</summary>
    public static SmppOptions OptionsFor(int port) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        SystemId = SmppSmscProcess.SystemId,
        Password = SmppSmscProcess.Password,
        SourceAddress = "Verify",
        ResponseTimeout = TimeSpan.FromSeconds(5),
        ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
        ReconnectMaxDelay = TimeSpan.FromSeconds(1),
    };

    /// <summary>Starts the sender; with <paramref name="waitBound"/>, waits (bounded) until it is bound. Receipts go to <paramref name="sink"/>, or <see cref="Sink"/>.</summary>
    public static async Task<SmppTestClient> StartAsync(SmppOptions options, bool waitBound = true, IDeliveryReceiptSink? sink = null)
    {
        var client = new SmppTestClient(options, sink);
        await client.Sender.StartAsync(CancellationToken.None);
        if (waitBound)
        {
            await client.WaitUntilAsync(() => client.Sender.IsBound, "the sender to bind");
        }

        return client;
    }

    public Task<SendResult> SendAsync(string? text = null, CancellationToken cancellationToken = default) =>
        Sender.SendAsync(text is null ? SmsMessages.Login() : SmsMessages.Login() with { Text = text }, cancellationToken);

    public async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(15)))
            {
                throw new TimeoutException($"waited in vain for {what}; log: {string.Join(" | ", Log.Lines)}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync() => await Sender.DisposeAsync();
}
