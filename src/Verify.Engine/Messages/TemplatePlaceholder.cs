namespace Verify.Engine.Messages;

/// <summary>A value a template can show, written <c>{name}</c> in the template text.</summary>
internal enum TemplatePlaceholder
{
    Code,
    Minutes,
    Brand,
    Amount,
    Currency,
    Payee,
}
