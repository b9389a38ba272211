using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Verify.Delivery;

namespace Verify.Server.Tests.Infrastructure;

/// <summary>Stands in for an SMS provider: keeps every message so the test can read the code a user would.</summary>
internal sealed partial class CapturingSmsSender : ISmsSender
{
    private readonly ConcurrentQueue<SmsMessage> _messages = new();

    public string Name => "capture";

    public IReadOnlyList<SmsMessage> Messages => [.. _messages];

    public SmsMessage Last => _messages.Last();

    /// <summary>The code in the last message, as a user reads it from the text.</summary>
    public string LastCode => CodeOf(Last);

    public static string CodeOf(SmsMessage message) => message.TemplateParameters["code"];

    /// <summary>Whether it takes calls as well as texts, as a voice-capable route would.</summary>
    public bool ServesVoice { get; set; }

    /// <summary>The message id the last send was given ("capture-1", "capture-2", …), as a provider names it in receipts.</summary>
    public string LastMessageId => $"capture-{_messages.Count}";

    public Task<SendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        _messages.Enqueue(message);
        return Task.FromResult(SendResult.Success($"capture-{_messages.Count}"));
    }

    public bool CanServe(string purpose, string regionCode, DeliveryChannel channel) => channel == DeliveryChannel.Sms || ServesVoice;
}
