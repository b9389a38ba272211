using Verify.Delivery.Sms;

namespace Verify.Engine.Messages;

/// <summary>A template that needs more than one SMS with the longest values (see <see cref="MessageTemplateCatalog.FindMultiSegmentTemplates"/>).</summary>
internal sealed record MultiSegmentTemplate(string Purpose, string Locale, SmsSegmentInfo Segments);
