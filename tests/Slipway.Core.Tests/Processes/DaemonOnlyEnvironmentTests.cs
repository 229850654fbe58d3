using Slipway.Core.Processes;

namespace Slipway.Core.Tests.Processes;

public sealed class DaemonOnlyEnvironmentTests
{
    [Fact]
    public void SetDefault_SetsForThisProcess_ButChildrenDoNotInheritIt()
    {
        var name = "SLIPWAY_TEST_DAEMON_ONLY_" + Guid.NewGuid().ToString("N");
        try
        {
            DaemonOnlyEnvironment.SetDefault(name, "1");

            Assert.Equal("1", Environment.GetEnvironmentVariable(name));
            Assert.False(ProcessSpec.BaseEnvironment().ContainsKey(name));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void SetDefault_LeavesAnOperatorsValue()
    {
        var name = "SLIPWAY_TEST_OPERATOR_SET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "0");
        try
        {
            DaemonOnlyEnvironment.SetDefault(name, "1");

            Assert.Equal("0", Environment.GetEnvironmentVariable(name));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
