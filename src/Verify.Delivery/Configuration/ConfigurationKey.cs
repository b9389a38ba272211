using System.Text.RegularExpressions;

namespace Verify.Delivery.Configuration;

/// <summary>Configuration keys as the security team writes them, from the property paths validators report.</summary>
internal static partial class ConfigurationKey
{
    /// <summary>"PhoneLimits[0].Window" becomes "PhoneLimits:0:Window", the key to fix.</summary>
    public static string FromPropertyPath(string propertyPath) => Indexer().Replace(propertyPath, ":$1").Replace('.', ':');

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex Indexer();
}
