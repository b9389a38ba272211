namespace Verify.Server.Storage;

/// <summary>After the hand-off to the sender: mark the code sent, or refund the send as if it never happened.</summary>
internal sealed record SendOutcome
{
    public required StartResult.Stored Start { get; init; }

    public required string? ClientIp { get; init; }

    public required bool Delivered { get; init; }
}
