using Slipway.Control.Secrets;

namespace Slipway.Control.Tests;

/// <summary>Secret values a test sets, where the daemon would read its encrypted store.</summary>
internal sealed class DictionarySecrets(IReadOnlyDictionary<string, string> values) : ISecretSource
{
    public bool TryGet(string name, out string value) => values.TryGetValue(name, out value!);
}
