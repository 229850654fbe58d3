namespace Slipway.Control.Apply;

/// <summary>The least API role a change in an applied manifest needs (the API's deployer and admin).</summary>
internal enum ApplyRole
{
    /// <summary>How many instances run, which version, how rollouts, restarts and probes behave.</summary>
    Deployer,

    /// <summary>What runs and with what (commands, environment, secrets, exec probes, hooks), and what is exposed.</summary>
    Admin,
}
