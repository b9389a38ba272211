namespace Verify.Delivery.Providers.Smpp;

/// <summary>A provider of <c>Type</c> "smpp": an SMPP v3.4 SMSC (carrier or aggregator) bound as a transceiver.</summary>
internal sealed class SmppOptions
{
    /// <summary>The SMSC's host name or IP address. Required.</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>2775 is SMPP's registered port; TLS endpoints are often 3550 or 8775.</summary>
    public int Port { get; set; } = 2775;

    /// <summary>TLS around the session; the SMSC's certificate must be valid for <see cref="Host"/>.</summary>
    public bool UseTls { get; set; }

    /// <summary>The account (system_id), at most 15 characters. Required.</summary>
    public string SystemId { get; set; } = string.Empty;

    /// <summary>At most 8 characters (the spec's 9 octets with the NUL). Required. Never logged.</summary>
    public string Password { get; set; } = string.Empty;

    /// <summary>system_type, when the SMSC asks for one; at most 12 characters.</summary>
    public string SystemType { get; set; } = string.Empty;

    /// <summary>service_type of each submit_sm, when the SMSC asks for one; at most 5 characters.</summary>
    public string ServiceType { get; set; } = string.Empty;

    /// <summary>The sender id: up to 11 letters and digits, or up to 20 digits. Empty: the SMSC's default.</summary>
    public string SourceAddress { get; set; } = string.Empty;

    /// <summary>source_addr_ton; unset: 5 (alphanumeric) for a sender id with letters, 1 (international) for digits, 0 when empty.</summary>
    public byte? SourceTon { get; set; }

    /// <summary>source_addr_npi; unset: 0 for an alphanumeric or empty sender id, 1 (E.164) for digits.</summary>
    public byte? SourceNpi { get; set; }

    public SmppDataCoding DataCoding { get; set; } = SmppDataCoding.Gsm7;

    /// <summary>Ask for a delivery receipt for every message (registered_delivery 1).</summary>
    public bool RegisteredDelivery { get; set; } = true;

    public SmppMessageIdFormat MessageIdFormat { get; set; } = SmppMessageIdFormat.AsIs;

    /// <summary>How long the SMSC keeps trying to deliver (validity_period, relative); unset: the SMSC's default. A code past its own expiry is worthless, so match the code lifetime.</summary>
    public TimeSpan? ValidityPeriod { get; set; }

    /// <summary>enquire_link after this long without a PDU from the SMSC.</summary>
    public TimeSpan EnquireLinkInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long any request (bind, submit_sm, enquire_link) waits for its response; also the connect timeout.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first reconnect wait; it doubles per failed attempt up to <see cref="ReconnectMaxDelay"/>, with jitter.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>submit_sm awaiting their submit_sm_resp at once; more wait for a free slot.</summary>
    public int WindowSize { get; set; } = 10;
}
