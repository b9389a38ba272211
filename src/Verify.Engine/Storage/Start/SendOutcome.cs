namespace Verify.Engine.Storage;

/// <summary>After the hand-off to the sender: mark the code sent, or refund the send as if it never happened.</summary>
internal sealed record SendOutcome
{
    public required StartResult.Stored Start { get; init; }

    /// <summary>The start that counted the send, so a refund knows every counter it touched.</summary>
    public required StartCommand Command { get; init; }

    public string? ClientIp => Command.ClientIp;

    public required bool Delivered { get; init; }

    /// <summary>When the provider took the message and named it: remembered for its delivery receipts.</summary>
    public DeliveryHandoff? Handoff { get; init; }
}
