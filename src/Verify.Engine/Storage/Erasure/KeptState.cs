namespace Verify.Engine.Storage;

/// <summary>A piece of limit state an erasure keeps, because erasing it would lift a limit, and when it expires.</summary>
internal sealed record KeptState(string What, DateTimeOffset Until);
