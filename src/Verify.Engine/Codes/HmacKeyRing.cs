using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Verify.Engine.Codes;

/// <summary>The configured HMAC keys: one active for new codes, all usable for codes in flight.</summary>
internal sealed partial class HmacKeyRing
{
    public const int MinimumKeyBytes = 32;

    private HmacKeyRing(string activeKeyId, FrozenDictionary<string, byte[]> keys, bool isEphemeral)
    {
        ActiveKeyId = activeKeyId;
        Keys = keys;
        IsEphemeral = isEphemeral;
    }

    public string ActiveKeyId { get; }

    public FrozenDictionary<string, byte[]> Keys { get; }

    /// <summary>True for the random key made at start in Development: codes die with the process.</summary>
    public bool IsEphemeral { get; }

    public byte[] ActiveKey => Keys[ActiveKeyId];

    /// <summary>A key ring from configuration, or the reasons it cannot be built (each naming its key).</summary>
    public static HmacKeyRing FromOptions(HashingOptions options, out List<string> errors)
    {
        errors = [];
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, secret) in options.Keys)
        {
            var key = $"{HashingOptions.SectionName}:Keys:{id}";
            if (!KeyId().IsMatch(id))
            {
                errors.Add($"{key}: a key id is 1 to 32 of A-Z a-z 0-9 _ -");
                continue;
            }

            var bytes = new byte[secret.Length];
            if (!Convert.TryFromBase64String(secret, bytes, out var length) || length < MinimumKeyBytes)
            {
                errors.Add($"{key}: must be base64 of at least {MinimumKeyBytes} random bytes (e.g. `openssl rand -base64 32`)");
                continue;
            }

            keys[id] = bytes[..length];
        }

        if (options.ActiveKeyId is null || !options.Keys.ContainsKey(options.ActiveKeyId))
        {
            errors.Add($"{HashingOptions.SectionName}:ActiveKeyId: must name one of the configured keys");
        }

        return errors.Count > 0 ? Ephemeral() : new HmacKeyRing(options.ActiveKeyId!, keys.ToFrozenDictionary(StringComparer.Ordinal), isEphemeral: false);
    }

    /// <summary>A random key for Development, where nothing is configured.</summary>
    public static HmacKeyRing Ephemeral() =>
        new("ephemeral", new Dictionary<string, byte[]> { ["ephemeral"] = RandomNumberGenerator.GetBytes(MinimumKeyBytes) }.ToFrozenDictionary(), isEphemeral: true);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}\\z")]
    private static partial Regex KeyId();
}
