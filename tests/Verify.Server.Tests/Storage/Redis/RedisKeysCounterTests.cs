using Verify.Engine.Limits;
using Verify.Engine.Storage.Redis;

namespace Verify.Server.Tests.Storage.Redis;

// Counters and blocks written by an earlier release must still be found: the key names are pinned, not derived.
public sealed class RedisKeysCounterTests
{
    private readonly RedisKeys _keys = new("verify");

    [Theory]
    [InlineData("prefix", "+861381234", "verify:{prefix:+861381234}")]
    [InlineData("country", "CN", "verify:{country:CN}")]
    [InlineData("caller", "signup", "verify:{caller:signup}")]
    [InlineData("global", "all", "verify:{global:all}")]
    public void CounterKeys_AsEarlierReleasesWroteThem(string name, string key, string stem)
    {
        Assert.True(LimitScope.TryParse(name, out var scope));

        Assert.Equal(stem + ":s", (string)_keys.CounterSends(scope, key)!);
        Assert.Equal(stem + ":a", (string)_keys.CounterApprovals(scope, key)!);
        Assert.Equal(stem + ":b", (string)_keys.CounterBlock(scope, key)!);
    }

    [Fact]
    public void BlockMember_ScopePipeKey()
    {
        Assert.Equal("prefix|+861381234", RedisKeys.BlockMember(LimitScope.Prefix, "+861381234"));
        Assert.Equal("country|CN", RedisKeys.BlockMember(LimitScope.Country, "CN"));
    }
}
