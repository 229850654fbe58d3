namespace Slipway.Proxy.Tests.Support;

/// <summary>Waits (bounded) for a condition that another thread makes true.</summary>
internal static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition, int seconds = 10)
    {
        for (var i = 0; i < seconds * 50; i++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return condition();
    }
}
