using System.Collections.Concurrent;
using Verify.Delivery;

namespace Verify.Server.Tests.Infrastructure;

/// <summary>A provider that does on cue what real ones do on a bad day: accept, refuse, hang until cancelled, or throw.</summary>
internal sealed class ScriptedSmsSender(string name) : ISmsSender
{
    private int _sequence;

    public string Name => name;

    /// <summary>What the next sends do; by default every send is accepted with a fresh message id.</summary>
    public Func<SmsMessage, CancellationToken, Task<SendResult>>? Behaviour { get; set; }

    /// <summary>The destinations it takes (its <see cref="ISmsSender.CanServe"/>); by default all, texts and calls.</summary>
    public Func<string, DeliveryChannel, bool> Serves { get; set; } = (_, _) => true;

    /// <summary>Every send that reached the provider, in order.</summary>
    public ConcurrentQueue<SmsMessage> Calls { get; } = new();

    public Task<SendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        Calls.Enqueue(message);
        return (Behaviour ?? Accept)(message, cancellationToken);
    }

    public bool CanServe(string purpose, string regionCode, DeliveryChannel channel) => Serves(regionCode, channel);

    public static Task<SendResult> RejectNumber(SmsMessage message, CancellationToken cancellationToken) =>
        Task.FromResult(SendResult.Rejected("21614: not a mobile number"));

    public Task<SendResult> Accept(SmsMessage message, CancellationToken cancellationToken) =>
        Task.FromResult(SendResult.Success($"{name}-{Interlocked.Increment(ref _sequence)}"));

    public static Task<SendResult> Refuse(SmsMessage message, CancellationToken cancellationToken) =>
        Task.FromResult(SendResult.Failure("HTTP 503"));

    public static async Task<SendResult> Hang(SmsMessage message, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }
}
