namespace Slipway.Control.Secrets;

/// <summary>Where the supervisor finds secret values when it starts an instance.</summary>
internal interface ISecretSource
{
    bool TryGet(string name, out string value);
}
