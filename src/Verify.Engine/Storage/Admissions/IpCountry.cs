namespace Verify.Engine.Storage;

/// <summary>A destination country of a client IP, and when the first code to it was counted.</summary>
internal sealed record IpCountry(string Country, DateTimeOffset FirstAt);
