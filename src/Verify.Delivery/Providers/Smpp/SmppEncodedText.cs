namespace Verify.Delivery.Providers.Smpp;

/// <summary>
/// A text as submit_sm carries it: the data_coding, and one short_message per segment (each starting with
/// its user data header when there are several). Not a record: its ToString must not print the text.
/// </summary>
internal sealed class SmppEncodedText(byte dataCoding, IReadOnlyList<byte[]> segments)
{
    public byte DataCoding { get; } = dataCoding;

    public IReadOnlyList<byte[]> Segments { get; } = segments;

    public bool Concatenated => Segments.Count > 1;
}
