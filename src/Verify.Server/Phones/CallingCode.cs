namespace Verify.Server.Phones;

/// <summary>
/// One row of <c>calling-codes.csv</c>: a country calling code, the main region using it and the
/// length range of its national significant numbers (the digits after the code).
/// </summary>
internal sealed record CallingCode(int Code, string Region, int MinLength, int MaxLength, string Name)
{
    public int Digits => Code switch
    {
        < 10 => 1,
        < 100 => 2,
        _ => 3,
    };
}
