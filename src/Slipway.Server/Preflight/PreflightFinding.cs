namespace Slipway.Server.Preflight;

/// <summary>One line of the go-live checklist: which check, about what, how it came out, what showed it, and the fix.</summary>
/// <param name="Check">The check's name, e.g. <c>backups</c>.</param>
/// <param name="Subject">What it looked at: a service, a backup, a certificate file, a receiver; <c>app</c> for the whole app.</param>
/// <param name="Fix">One line saying what to do; null when nothing is to be done.</param>
/// <param name="Service">The service the finding is about; null for the app as a whole. <c>deploy</c> refuses on its own service's fails.</param>
internal sealed record PreflightFinding(string Check, string Subject, PreflightStatus Status, string Evidence, string? Fix, string? Service = null)
{
    public static PreflightFinding Ok(string check, string subject, string evidence, string? service = null) =>
        new(check, subject, PreflightStatus.Ok, evidence, null, service);
}
