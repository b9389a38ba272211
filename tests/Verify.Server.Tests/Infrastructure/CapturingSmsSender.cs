using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Verify.Server.Delivery;

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

    public Task<SendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        _messages.Enqueue(message);
        return Task.FromResult(SendResult.Success());
    }
}
