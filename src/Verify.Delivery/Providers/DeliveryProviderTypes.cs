using System.Collections.Frozen;

namespace Verify.Delivery.Providers;

/// <summary>Every kind of provider Verify can send through, by its <c>Type</c>.</summary>
internal static class DeliveryProviderTypes
{
    public static FrozenDictionary<string, IDeliveryProviderType> All { get; } = new IDeliveryProviderType[]
    {
        new ConsoleProviderType(),
        new WebhookProviderType(),
        new Aliyun.AliyunProviderType(),
        new Tencent.TencentProviderType(),
        new Huawei.HuaweiProviderType(),
        new Chuanglan.ChuanglanProviderType(),
        new Ronglian.RonglianProviderType(),
        new Twilio.TwilioProviderType(),
        new Vonage.VonageProviderType(),
        new Smpp.SmppProviderType(),
    }.ToFrozenDictionary(t => t.Type, StringComparer.OrdinalIgnoreCase);
}
