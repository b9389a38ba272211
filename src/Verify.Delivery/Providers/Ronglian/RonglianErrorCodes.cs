using System.Collections.Frozen;

namespace Verify.Delivery.Providers.Ronglian;

/// <summary>
/// Which TemplateSMS statusCodes (Ronglian / 容联云通讯 "错误码") refuse the message itself: its number, the
/// per-number frequency and daily limits, its content or template values, a template of ours that does not
/// serve it, a destination only test numbers may receive, a repeated reqId. Everything else, the account and
/// application errors (111xxx), system errors (160000, 160050), parse failures of our request (160031),
/// IP authentication (160053) and any code not known here, counts against the breaker.
/// </summary>
internal static class RonglianErrorCodes
{
    private static readonly FrozenSet<string> MessageRefusals = new[]
    {
        "112310", // application not online: only test numbers may receive
        "112311", // template does not exist
        "113302", // test template to a number that is not a registered test number
        "160032", // template invalid
        "160033", // content has blacklisted words
        "160034", // number blacklisted
        "160035", // empty content
        "160036", // unknown template type
        "160037", // content too long
        "160038", // verification codes to this number too frequent
        "160039", // daily limit per template and number
        "160040", // daily verification-code limit per template and number
        "160041", // daily notification limit per template and number
        "160042", // number format wrong
        "160043", // template does not belong to the application
        "160044", // empty number
        "160045", // repeated number
        "160048", // too many numbers
        "160049", // sensitive words
        "160051", // the number unsubscribed
        "160052", // template value format wrong
        "160054", // repeated request (reqId)
        "160056", // same content to the same number repeated
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether the code refuses this message (false: Ronglian or our account is at fault, or the code is unknown).</summary>
    public static bool RefusesMessage(string code) => MessageRefusals.Contains(code);
}
