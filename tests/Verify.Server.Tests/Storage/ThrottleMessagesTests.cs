using Verify.Engine.Configuration;
using Verify.Engine.Limits;
using Verify.Engine.Storage;
using Verify.Engine.Throttling;

namespace Verify.Server.Tests.Storage;

// The sentences reach callers in refusals; they are pinned word for word.
public sealed class ThrottleMessagesTests
{
    [Theory]
    [InlineData("phone:1h", "At most 5 codes per 1h to one number.")]
    [InlineData("ip:1h", "At most 20 codes per 1h from one IP address.")]
    [InlineData("number:1h", "At most 10 codes per 1h to one number, across purposes.")]
    [InlineData("country:1h", "At most 11 codes per 1h to one country.")]
    [InlineData("prefix:1h", "At most 12 codes per 1h to one block of numbers.")]
    [InlineData("caller:1h", "At most 13 codes per 1h from one calling service.")]
    [InlineData("global:1h", "At most 14 codes per 1h in total.")]
    [InlineData("prefix:pumping", "Codes to this block of numbers are paused: many were sent and few were used.")]
    [InlineData("country:pumping", "Codes to this country are paused: many were sent and few were used.")]
    [InlineData("phone:cooldown", "A code was sent to this number less than 60 s ago.")]
    [InlineData("phone:attempts", "Too many wrong codes for this number and purpose.")]
    [InlineData("phone:lockout", "10 wrong codes in a row for this number and purpose: it is locked out for a while.")]
    [InlineData("ip:countries", "At most 5 destination countries per 1d from one IP address.")]
    [InlineData("prefix:1d", "Too many codes.")]
    [InlineData("other:1h", "Too many codes.")]
    public void Describe_EachSubject_ItsSentence(string subject, string sentence) =>
        Assert.Equal(sentence, ThrottleMessages.Describe(subject, Command()));

    [Fact]
    public void Describe_CounterTheStartDidNotAsk_TooManyCodes() =>
        Assert.Equal("Too many codes.", ThrottleMessages.Describe("caller:1h", Command() with { Counters = [] }));

    private static StartCommand Command()
    {
        var policy = VerificationPolicy.From("login", new PolicyOptions { ResendCooldown = TimeSpan.FromSeconds(60) });
        return new StartCommand
        {
            NewId = "id",
            PhoneNumber = "+8613812345678",
            Purpose = "login",
            Locale = "en",
            Now = DateTimeOffset.UnixEpoch,
            Policy = policy,
            SendId = "00112233445566778899aabbccddeeff",
            Code = new StoredCode("k1", new byte[32], DateTimeOffset.UnixEpoch, null),
            CountriesPerIp = new WindowLimit { Window = TimeSpan.FromDays(1), Max = 5 },
            Counters =
            [
                Counter(LimitScope.Number, 10),
                Counter(LimitScope.Country, 11),
                Counter(LimitScope.Prefix, 12),
                Counter(LimitScope.Caller, 13),
                Counter(LimitScope.Global, 14),
            ],
        };
    }

    private static CounterLimit Counter(LimitScope scope, int max) =>
        new(scope, "key", [new WindowLimit { Window = TimeSpan.FromHours(1), Max = max }], null);
}
