using System.Globalization;

namespace Verify.Delivery.Providers.Smpp;

/// <summary>The spec's names of commands, for logs.</summary>
internal static class SmppCommandNames
{
    public static string Of(SmppCommandId command) => command switch
    {
        SmppCommandId.GenericNack => "generic_nack",
        SmppCommandId.SubmitSm => "submit_sm",
        SmppCommandId.SubmitSmResp => "submit_sm_resp",
        SmppCommandId.DeliverSm => "deliver_sm",
        SmppCommandId.DeliverSmResp => "deliver_sm_resp",
        SmppCommandId.Unbind => "unbind",
        SmppCommandId.UnbindResp => "unbind_resp",
        SmppCommandId.BindTransceiver => "bind_transceiver",
        SmppCommandId.BindTransceiverResp => "bind_transceiver_resp",
        SmppCommandId.EnquireLink => "enquire_link",
        SmppCommandId.EnquireLinkResp => "enquire_link_resp",
        SmppCommandId.AlertNotification => "alert_notification",
        _ => "0x" + ((uint)command).ToString("X8", CultureInfo.InvariantCulture),
    };
}
