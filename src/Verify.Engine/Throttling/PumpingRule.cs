namespace Verify.Engine.Throttling;

/// <summary>The pumping guard as a store applies it to one prefix or country (see <see cref="PumpingGuardOptions"/>).</summary>
internal sealed record PumpingRule(TimeSpan Window, TimeSpan SettleTime, int MinSends, double MinConversion, TimeSpan BlockFor);
