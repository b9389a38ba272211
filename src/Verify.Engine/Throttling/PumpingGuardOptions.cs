namespace Verify.Engine.Throttling;

/// <summary>
/// SMS pumping (toll fraud) shows as many codes sent to one block of numbers, or one country, and few
/// of them ever typed back. Per prefix and per country, sends and approvals are counted over
/// <see cref="Window"/>; when at least <see cref="MinSends"/> sends have had <see cref="SettleTime"/>
/// to be answered and under <see cref="MinConversion"/> of them were approved, the prefix (or
/// country) gets no codes for <see cref="BlockFor"/>.
/// </summary>
internal sealed class PumpingGuardOptions
{
    /// <summary>Whether the guard runs. Defaults to true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How far back sends and approvals count, 1 min to 1 day. Defaults to 1 hour.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a send is given to be approved before it counts against the conversion, 0 to the
    /// window. Defaults to 5 minutes: most users type the code within one or two.
    /// </summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Settled sends needed before the rate means anything, 1 to 1,000,000. Defaults to 20.</summary>
    public int MinSends { get; set; } = 20;

    /// <summary>
    /// Approved ÷ settled sends under which a prefix is blocked, 0 to 1. Defaults to 0.2: a healthy
    /// conversion is 60–80 %, and under 20 % suggests an attack (Telnyx, Twilio Fraud Guard practice).
    /// </summary>
    public double MinConversion { get; set; } = 0.2;

    /// <summary>How long a block lasts, 1 min to 1 day. Defaults to 1 hour.</summary>
    public TimeSpan BlockFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Whether whole countries are guarded as well as prefixes. Defaults to true.</summary>
    public bool Countries { get; set; } = true;

    /// <summary>
    /// Settled sends needed before a whole country can be blocked, 1 to 10,000,000. Defaults to 200:
    /// blocking a country stops every user there, so it takes far more evidence than a block of numbers.
    /// </summary>
    public int CountryMinSends { get; set; } = 200;
}
