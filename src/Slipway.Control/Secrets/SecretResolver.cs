namespace Slipway.Control.Secrets;

/// <summary>
/// A secret by name for what Slipway itself connects to (backups, alert receivers): <c>SLIPWAY_SECRET_NAME</c> from
/// the environment when set, an explicit override, else the encrypted store that <c>slipway secrets set</c> fills.
/// The daemon and the one-shot CLI verbs resolve through this, so both see the same value.
/// </summary>
internal sealed class SecretResolver
{
    /// <summary>The environment variable prefix of an override: <c>SLIPWAY_SECRET_DB_PASSWORD</c> for <c>DB_PASSWORD</c>.</summary>
    public const string EnvironmentPrefix = "SLIPWAY_SECRET_";

    private readonly ISecretSource? _store;
    private readonly Func<string, string?> _environment;

    /// <param name="store">The secret store; null where there is none (no master key yet).</param>
    /// <param name="environment">Reads an environment variable.</param>
    public SecretResolver(ISecretSource? store, Func<string, string?> environment)
    {
        _store = store;
        _environment = environment;
    }

    /// <summary>The value, or null when neither the environment nor the store has it.</summary>
    public string? Find(string name) =>
        _environment(EnvironmentPrefix + name) ?? (_store is not null && _store.TryGet(name, out var value) ? value : null);
}
