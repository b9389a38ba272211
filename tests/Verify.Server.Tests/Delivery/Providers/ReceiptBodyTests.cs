using Verify.Delivery.Providers;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Delivery.Providers;

/// <summary>The capped read of a receipt body: declared and actual sizes over the limit, and bodies that arrive in many pieces.</summary>
public sealed class ReceiptBodyTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(20_000)]
    [InlineData(64 * 1024)]
    public async Task ReadAsync_UpToTheLimit_ReturnsTheWholeBody(int length)
    {
        var content = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        var http = ReceiptHttpContexts.Create("POST", string.Empty, "application/json", content);

        Assert.Equal(content, await ReceiptBody.ReadAsync(http.Request, 64 * 1024));
    }

    [Fact]
    public async Task ReadAsync_DeclaredLengthOverTheLimit_IsRefusedWithoutReading()
    {
        var http = ReceiptHttpContexts.Create("POST", string.Empty, "application/json", new byte[10]);
        var body = new ReadRecordingStream(new byte[10]);
        http.Request.Body = body;
        http.Request.ContentLength = 1_000_000;

        Assert.Null(await ReceiptBody.ReadAsync(http.Request, 1024));
        Assert.False(body.WasRead);
    }

    [Fact]
    public async Task ReadAsync_UndeclaredBodyOverTheLimit_IsRefused()
    {
        var http = ReceiptHttpContexts.Create("POST", string.Empty, "application/json", new byte[5000]);
        http.Request.ContentLength = null;

        Assert.Null(await ReceiptBody.ReadAsync(http.Request, 4999));
    }
}
