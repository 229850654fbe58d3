namespace Slipway.Server.Auth;

/// <summary>Role names as users write them: viewer, deployer, admin.</summary>
internal static class ApiRoles
{
    public static IReadOnlyList<string> Names { get; } = ["viewer", "deployer", "admin"];

    public static string Name(ApiRole role) => Names[(int)role];

    public static bool TryParse(string? text, out ApiRole role)
    {
        var index = text is null ? -1 : Names.ToList().IndexOf(text.ToLowerInvariant());
        role = index < 0 ? ApiRole.Viewer : (ApiRole)index;
        return index >= 0;
    }
}
