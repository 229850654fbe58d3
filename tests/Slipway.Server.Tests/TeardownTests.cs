namespace Slipway.Server.Tests;

public sealed class TeardownTests
{
    [Fact]
    public async Task DisposeAsync_ThreeKindsOfStep_RunInReverseOrderOnce()
    {
        var order = new List<string>();
        var teardown = new Teardown();
        teardown.Add(new Step("lock", order));
        teardown.AddAsync(new AsyncStep("proxy", order));
        teardown.Add(() =>
        {
            order.Add("proxy stop");
            return Task.CompletedTask;
        });
        teardown.Add(new Step("store", order));

        await teardown.DisposeAsync();
        await teardown.DisposeAsync();

        Assert.Equal(["store", "proxy stop", "proxy", "lock"], order);
    }

    [Fact]
    public async Task Remove_HandedOverResource_ItsStepsAreSkippedTheRestRunInReverse()
    {
        var order = new List<string>();
        var teardown = new Teardown();
        teardown.Add(new Step("lock", order));
        var proxy = teardown.AddAsync(new AsyncStep("proxy", order));
        teardown.Add(() =>
        {
            order.Add("proxy stop");
            return Task.CompletedTask;
        }, owner: proxy);
        teardown.Add(new Step("store", order));

        teardown.Remove(proxy);
        await teardown.DisposeAsync();

        Assert.Equal(["store", "lock"], order);
    }

    private sealed class Step(string name, List<string> order) : IDisposable
    {
        public void Dispose() => order.Add(name);
    }

    private sealed class AsyncStep(string name, List<string> order) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            order.Add(name);
            return ValueTask.CompletedTask;
        }
    }
}
