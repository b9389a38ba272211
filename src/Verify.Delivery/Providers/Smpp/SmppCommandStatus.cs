using System.Collections.Frozen;
using System.Globalization;

namespace Verify.Delivery.Providers.Smpp;

/// <summary>command_status values (SMPP v3.4 §5.1.3), for failure reasons, logs, and whether a refusal counts against the breaker.</summary>
internal static class SmppCommandStatus
{
    public const uint Ok = 0x00000000;
    public const uint InvalidMessageLength = 0x00000001;
    public const uint InvalidCommandLength = 0x00000002;
    public const uint InvalidCommandId = 0x00000003;
    public const uint SystemError = 0x00000008;
    public const uint BindFailed = 0x0000000D;
    public const uint MessageQueueFull = 0x00000014;
    public const uint Throttled = 0x00000058;

    private static readonly FrozenDictionary<uint, string> Names = new Dictionary<uint, string>
    {
        [0x00] = "ESME_ROK",
        [0x01] = "ESME_RINVMSGLEN",
        [0x02] = "ESME_RINVCMDLEN",
        [0x03] = "ESME_RINVCMDID",
        [0x04] = "ESME_RINVBNDSTS",
        [0x05] = "ESME_RALYBND",
        [0x06] = "ESME_RINVPRTFLG",
        [0x07] = "ESME_RINVREGDLVFLG",
        [0x08] = "ESME_RSYSERR",
        [0x0A] = "ESME_RINVSRCADR",
        [0x0B] = "ESME_RINVDSTADR",
        [0x0C] = "ESME_RINVMSGID",
        [0x0D] = "ESME_RBINDFAIL",
        [0x0E] = "ESME_RINVPASWD",
        [0x0F] = "ESME_RINVSYSID",
        [0x11] = "ESME_RCANCELFAIL",
        [0x13] = "ESME_RREPLACEFAIL",
        [0x14] = "ESME_RMSGQFUL",
        [0x15] = "ESME_RINVSERTYP",
        [0x33] = "ESME_RINVNUMDESTS",
        [0x34] = "ESME_RINVDLNAME",
        [0x40] = "ESME_RINVDESTFLAG",
        [0x42] = "ESME_RINVSUBREP",
        [0x43] = "ESME_RINVESMCLASS",
        [0x44] = "ESME_RCNTSUBDL",
        [0x45] = "ESME_RSUBMITFAIL",
        [0x48] = "ESME_RINVSRCTON",
        [0x49] = "ESME_RINVSRCNPI",
        [0x50] = "ESME_RINVDSTTON",
        [0x51] = "ESME_RINVDSTNPI",
        [0x53] = "ESME_RINVSYSTYP",
        [0x54] = "ESME_RINVREPFLAG",
        [0x55] = "ESME_RINVNUMMSGS",
        [0x58] = "ESME_RTHROTTLED",
        [0x61] = "ESME_RINVSCHED",
        [0x62] = "ESME_RINVEXPIRY",
        [0x63] = "ESME_RINVDFTMSGID",
        [0x64] = "ESME_RX_T_APPN",
        [0x65] = "ESME_RX_P_APPN",
        [0x66] = "ESME_RX_R_APPN",
        [0x67] = "ESME_RQUERYFAIL",
        [0xC0] = "ESME_RINVOPTPARSTREAM",
        [0xC1] = "ESME_ROPTPARNOTALLWD",
        [0xC2] = "ESME_RINVPARLEN",
        [0xC3] = "ESME_RMISSINGOPTPARAM",
        [0xC4] = "ESME_RINVOPTPARAMVAL",
        [0xFE] = "ESME_RDELIVERYFAILURE",
        [0xFF] = "ESME_RUNKNOWNERR",
    }.ToFrozenDictionary();

    /// <summary>
    /// The statuses that refuse a submit_sm for what it carries (its destination, its source, its length,
    /// its flags and parameters), which says nothing of the SMSC. Throttling (0x58), a full queue (0x14), a
    /// system error (0x08), bind and command errors, a generic submit failure (0x45), vendor-specific codes
    /// (0x400–0x4FF) and any status not listed count against the breaker.
    /// </summary>
    private static readonly FrozenSet<uint> MessageRefusals = new uint[]
    {
        0x01, // ESME_RINVMSGLEN
        0x06, // ESME_RINVPRTFLG
        0x07, // ESME_RINVREGDLVFLG
        0x0A, // ESME_RINVSRCADR
        0x0B, // ESME_RINVDSTADR
        0x15, // ESME_RINVSERTYP
        0x33, // ESME_RINVNUMDESTS
        0x40, // ESME_RINVDESTFLAG
        0x43, // ESME_RINVESMCLASS
        0x48, // ESME_RINVSRCTON
        0x49, // ESME_RINVSRCNPI
        0x50, // ESME_RINVDSTTON
        0x51, // ESME_RINVDSTNPI
        0x61, // ESME_RINVSCHED
        0x62, // ESME_RINVEXPIRY
        0x63, // ESME_RINVDFTMSGID
        0xC0, // ESME_RINVOPTPARSTREAM
        0xC1, // ESME_ROPTPARNOTALLWD
        0xC2, // ESME_RINVPARLEN
        0xC3, // ESME_RMISSINGOPTPARAM
        0xC4, // ESME_RINVOPTPARAMVAL
    }.ToFrozenSet();

    /// <summary>Whether a submit_sm_resp with this status refused the message itself (false: the SMSC is unwell, busy or throttling us, or the status is unknown).</summary>
    public static bool RefusesMessage(uint status) => MessageRefusals.Contains(status);

    /// <summary>"ESME_RTHROTTLED (0x00000058)"; an SMSC-specific code (0x400–0x4FF and others) shows as its number only.</summary>
    public static string Describe(uint status)
    {
        var hex = "0x" + status.ToString("X8", CultureInfo.InvariantCulture);
        return Names.TryGetValue(status, out var name) ? $"{name} ({hex})" : hex;
    }
}
