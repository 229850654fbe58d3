namespace Slipway.Kubernetes.Workloads;

/// <summary>
/// What a cluster does its own way and Slipway does not render: stateful services (a cluster runs its databases with
/// an operator or chart on persistent volumes), start order, rollback hooks and jobs. One note each, when written.
/// </summary>
internal static class OneMachineNotes
{
    public static void Add(RenderContext context)
    {
        foreach (var (name, service) in context.Manifest.Services.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var path = $"services.{name}";
            if (service.Stateful)
            {
                context.Note($"{path}.stateful",
                    $"is not rendered: a cluster runs its databases and caches with their own operator or chart on a PersistentVolume (CloudNativePG, a Redis chart); give the other services its address, since {Core.Manifest.Model.StatefulUrls.VariableName(name)} is set only on one machine");
            }

            context.NoteIfWritten($"{path}.dependsOn", "has no Kubernetes equivalent: pods start together; readiness probes (and the application retrying its connections) cover the wait");
            context.NoteIfWritten($"{path}.deploy.hooks.rollback", "is not rendered: Argo Rollouts has no hook on abort; run the down migration yourself after `kubectl argo rollouts abort`");
        }

        foreach (var name in context.Manifest.Jobs.Keys.Order(StringComparer.Ordinal))
        {
            context.Note($"jobs.{name}", "is not rendered: a job runs a command on one machine; in a cluster write a CronJob with an image that has it");
        }
    }
}
