using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;

namespace Slipway.Server.Preflight.Checks;

/// <summary>Every <c>run.secrets</c> is set, and every <c>env:</c> or <c>secret:</c> reference resolves as the daemon would resolve it.</summary>
internal sealed class SecretsCheck : IPreflightCheck
{
    public string Name => "secrets";

    public bool ConcernsDeploy => true;

    public Task<IReadOnlyList<PreflightFinding>> RunAsync(PreflightContext context, CancellationToken cancel)
    {
        var findings = new List<PreflightFinding>();
        foreach (var (name, service) in context.Services())
        {
            foreach (var secret in service.Run?.Secrets ?? [])
            {
                var subject = $"services.{name}.run.secrets: {secret}";
                findings.Add(context.Secrets(secret) is null
                    ? new(Name, subject, PreflightStatus.Fail, $"secret {secret} is not set: the service's instances cannot start", $"slipway secrets set {secret}", name)
                    : PreflightFinding.Ok(Name, subject, $"secret {secret} is set", name));
            }
        }

        foreach (var (place, reference) in References(context))
        {
            findings.Add(Resolve(context, place, reference));
        }

        return Task.FromResult<IReadOnlyList<PreflightFinding>>(findings);
    }

    private PreflightFinding Resolve(PreflightContext context, string place, ValueReference reference)
    {
        var subject = $"{place}: {reference}";
        if (reference.Kind == ValueReferenceKind.Env)
        {
            return context.Environment(reference.Name!) is { Length: > 0 }
                ? PreflightFinding.Ok(Name, subject, $"{reference.Name} is set in the daemon's environment")
                : new(Name, subject, PreflightStatus.Fail, $"{reference.Name} is not set in the daemon's environment",
                    $"set {reference.Name} in the environment `slipway up` starts in, then restart the daemon");
        }

        return context.Secrets(reference.Name!) is not null
            ? PreflightFinding.Ok(Name, subject, $"secret {reference.Name} is set")
            : new(Name, subject, PreflightStatus.Fail, $"secret {reference.Name} is not set", $"slipway secrets set {reference.Name}");
    }

    /// <summary>The references the daemon resolves when it uses them: receivers, backup connections and S3 keys.</summary>
    private static IEnumerable<(string Place, ValueReference Reference)> References(PreflightContext context)
    {
        var manifest = context.Manifest;
        foreach (var (name, receiver) in manifest.Alerts.Receivers.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            foreach (var (key, value) in new[] { ("slack", receiver.Slack), ("webhook", receiver.Webhook), ("alertmanager", receiver.Alertmanager) })
            {
                if (value is { Kind: not ValueReferenceKind.Literal })
                {
                    yield return ($"alerts.receivers.{name}.{key}", value);
                }
            }
        }

        foreach (var (name, backup) in manifest.Backups.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            if (backup.Postgres is { Kind: not ValueReferenceKind.Literal } postgres)
            {
                yield return ($"backups.{name}.postgres", postgres);
            }

            if (backup.PasswordSecret is { } password)
            {
                yield return ($"backups.{name}.passwordSecret", ValueReference.Parse("secret:" + password));
            }

            if (backup.IsS3Destination())
            {
                var s3 = backup.S3 ?? new S3Spec();
                foreach (var (key, value) in new[] { ("accessKeyId", s3.AccessKeyId), ("secretAccessKey", s3.SecretAccessKey) })
                {
                    if (value.Kind != ValueReferenceKind.Literal)
                    {
                        yield return ($"backups.{name}.s3.{key}", value);
                    }
                }
            }
        }
    }
}
