namespace Verify.Delivery.Configuration;

/// <summary>The shape of a country in configuration (policies, limits, delivery routes): ISO 3166-1 alpha-2.</summary>
internal static class CountryCodes
{
    public const string Message = "must be an ISO 3166-1 alpha-2 code such as CN or US";

    public static bool IsValid(string code) => code.Length == 2 && code.All(char.IsAsciiLetterUpper);
}
