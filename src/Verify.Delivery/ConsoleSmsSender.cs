namespace Verify.Delivery;

/// <summary>
/// Development's channel: prints the message to standard output (not the log), so a newcomer can read
/// the code. Production refuses it at start.
/// </summary>
internal sealed class ConsoleSmsSender(TextWriter output) : ISmsSender
{
    public string Name => "console";

    public Task<SendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        output.WriteLine($"[console-sms] to={message.MaskedTo} verification={message.VerificationId} purpose={message.Purpose} locale={message.Locale}: {message.Text}");
        output.Flush();
        return Task.FromResult(SendResult.Success());
    }
}
