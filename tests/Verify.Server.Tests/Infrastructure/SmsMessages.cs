using Verify.Delivery;
using Verify.Delivery.Phones;

namespace Verify.Server.Tests.Infrastructure;

/// <summary>Messages as the engine hands them to a sender, for testing senders.</summary>
internal static class SmsMessages
{
    /// <summary>A login code to +86 138 1234 5678 (or <paramref name="to"/>), text "Verify: 123456 is your code".</summary>
    public static SmsMessage Login(string to = "+8613812345678", string code = "123456", DeliveryChannel channel = DeliveryChannel.Sms, string sendId = "0123456789abcdef") => new()
    {
        Phone = PhoneNumberParser.TryParse(to, out var phone, out var error) ? phone : throw new ArgumentException(error, nameof(to)),
        Channel = channel,
        Text = $"Verify: {code} is your code",
        TemplateId = "login/en",
        TemplateParameters = new Dictionary<string, string> { ["code"] = code, ["minutes"] = "5" },
        Signature = "Verify",
        VerificationId = "VE0123456789abcdef0123456789abcdef",
        Purpose = "login",
        Locale = "en",
        SendId = sendId,
    };
}
