using System.Globalization;
using System.Text.Json.Nodes;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Kubernetes.Objects;
using Slipway.Kubernetes.Workloads;

namespace Slipway.Kubernetes.Backups;

/// <summary>
/// Each backup as a CronJob on the same schedule running <c>pg_dump</c> (or <c>pg_basebackup</c>) from the postgres
/// image into a volume, with the same retention (the newest <c>keepLast</c>, and the newest of each of the last
/// <c>daily</c> days, ISO weeks and months that have one), and a verify CronJob that restores the newest backup into a
/// scratch server in its own pod and runs the <c>verify.queries</c>. The scripts take every value from the
/// environment or their arguments: nothing of the manifest is pasted into shell text.
/// </summary>
internal static class BackupJobs
{
    private const string Mount = "/backups";

    /// <summary>The postgres image's own user: its tools refuse to run a server as root, and the volume is made theirs.</summary>
    private const int PostgresUser = 999;

    /// <summary>Dump, then keep what retention keeps. Files are named by their UTC start, so names sort by age.</summary>
    private const string BackupScript = """
        set -eu
        dir="$BACKUP_DIR"
        mkdir -p "$dir"
        stamp=$(date -u +%Y%m%dT%H%M%SZ)
        if [ "$BACKUP_KIND" = physical ]; then
          pg_basebackup --pgdata="$dir/$stamp.partial" --format=tar --gzip --wal-method=stream --checkpoint=fast "$@"
          mv "$dir/$stamp.partial" "$dir/$stamp.base"
        else
          pg_dump --format=custom --compress="$BACKUP_COMPRESSION" --file="$dir/$stamp.partial" "$@"
          mv "$dir/$stamp.partial" "$dir/$stamp.dump"
        fi
        n=0; days=""; weeks=""; months=""
        for f in $(ls "$dir" | grep -E '^[0-9]{8}T[0-9]{6}Z\.(dump|base)$' | sort -r); do
          n=$((n + 1)); day=${f%%T*}; month=${day%??}; week=$(date -u -d "$day" +%G%V); keep=no
          [ "$n" -le "$KEEP_LAST" ] && keep=yes
          case " $days " in *" $day "*) ;; *) if [ $(echo $days | wc -w) -lt "$KEEP_DAILY" ]; then days="$days $day"; keep=yes; fi ;; esac
          case " $weeks " in *" $week "*) ;; *) if [ $(echo $weeks | wc -w) -lt "$KEEP_WEEKLY" ]; then weeks="$weeks $week"; keep=yes; fi ;; esac
          case " $months " in *" $month "*) ;; *) if [ $(echo $months | wc -w) -lt "$KEEP_MONTHLY" ]; then months="$months $month"; keep=yes; fi ;; esac
          [ "$keep" = yes ] || rm -rf "${dir:?}/$f"
        done
        """;

    /// <summary>Restore the newest dump into a scratch server in this pod; every query must answer a number above 0.</summary>
    private const string VerifyScript = """
        set -eu
        latest=$(ls "$BACKUP_DIR" | grep -E '^[0-9]{8}T[0-9]{6}Z\.dump$' | sort -r | head -n 1)
        [ -n "$latest" ] || { echo "verify: no backup in $BACKUP_DIR" >&2; exit 1; }
        export PGDATA=/tmp/verify PGHOST=/tmp PGUSER=postgres
        initdb --username=postgres --auth=trust >/dev/null
        pg_ctl --wait --options="-c listen_addresses= -c unix_socket_directories=/tmp" start >/dev/null
        createdb verify
        pg_restore --no-owner --no-privileges --exit-on-error --dbname=verify "$BACKUP_DIR/$latest"
        for q in "$@"; do
          v=$(psql -X -v ON_ERROR_STOP=1 -tA -d verify -c "$q")
          case "$v" in ''|*[!0-9.]*) echo "verify: $q answered '$v', not a number above 0" >&2; exit 1 ;; esac
          awk -v v="$v" 'BEGIN { exit !(v > 0) }' || { echo "verify: $q answered $v, not above 0" >&2; exit 1; }
        done
        echo "verify: $latest restored; $# queries above 0"
        """;

    public static IEnumerable<KubeObject> Build(RenderContext context)
    {
        if (context.Manifest.Backups.Count == 0)
        {
            yield break;
        }

        yield return Volume(context);
        foreach (var (name, backup) in context.Manifest.Backups.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            var path = $"backups.{name}";
            Notes(context, path, backup);
            if (Names.Backup(name).Length > Names.MaxCronJob)
            {
                context.Error(path, $"makes the CronJob name {Names.Backup(name)}, longer than the {Names.MaxCronJob} characters Kubernetes allows");
                continue;
            }

            if (backup.Schedule is { } schedule)
            {
                yield return CronJob(context, Names.Backup(name), name, schedule.ToString(), BackupContainer(context, name, backup));
            }
            else
            {
                context.Note(path, "has no schedule: on one machine it runs on demand; the cluster gets no CronJob for it (hooks.backupFirst still takes it)");
            }

            if (backup.Verify.Schedule is { } verify)
            {
                if (backup.Kind == BackupKind.Physical)
                {
                    context.Note($"{path}.verify", "of a physical backup needs a restore of the base backup and its WAL, which the verify CronJob does not do; left out");
                }
                else
                {
                    yield return CronJob(context, Names.Verify(name), name, verify.ToString(), VerifyContainer(context, name, backup));
                }
            }
        }
    }

    /// <summary>The container that takes one backup: the CronJob's, and the first step before a deploy with <c>hooks.backupFirst</c>.</summary>
    public static JsonObject BackupContainer(RenderContext context, string name, BackupSpec backup)
    {
        var (env, args) = Connection(context, name, backup);
        env.Add(Value("BACKUP_KIND", backup.Kind == BackupKind.Physical ? "physical" : "logical"));
        env.Add(Value("BACKUP_COMPRESSION", backup.Compression switch
        {
            BackupCompression.None => "0",
            BackupCompression.Zstd => "zstd",
            BackupCompression.Lz4 => "lz4",
            _ => "gzip",
        }));
        env.Add(Value("KEEP_LAST", backup.Retention.KeepLast));
        env.Add(Value("KEEP_DAILY", backup.Retention.Daily));
        env.Add(Value("KEEP_WEEKLY", backup.Retention.Weekly));
        env.Add(Value("KEEP_MONTHLY", backup.Retention.Monthly));
        return Container(context, "backup", name, BackupScript, args, env);
    }

    public static JsonObject VolumeMountedPod(RenderContext context, JsonArray containers, JsonArray? initContainers = null) => Json.Obj(
        ("serviceAccountName", Names.ServiceAccount(context.App)),
        ("automountServiceAccountToken", false),
        ("imagePullSecrets", PodTemplate.PullSecrets(context)),
        ("restartPolicy", "Never"),
        ("securityContext", Json.Obj(("runAsNonRoot", true), ("fsGroup", PostgresUser), ("seccompProfile", Json.Obj(("type", "RuntimeDefault"))))),
        ("initContainers", initContainers),
        ("containers", containers),
        ("volumes", Json.Arr(
            Json.Obj(("name", "backups"), ("persistentVolumeClaim", Json.Obj(("claimName", Names.BackupVolume(context.App))))),
            Json.Obj(("name", "tmp"), ("emptyDir", Json.Obj())))));

    private static JsonObject VerifyContainer(RenderContext context, string name, BackupSpec backup)
    {
        var env = new JsonArray { Value("BACKUP_DIR", $"{Mount}/{name}") };
        return Container(context, "verify", name, VerifyScript, backup.Verify.Queries, env);
    }

    private static JsonObject Container(RenderContext context, string role, string name, string script, IEnumerable<string> args, JsonArray env)
    {
        env.Insert(0, Value("BACKUP_DIR", $"{Mount}/{name}"));
        return Json.Obj(
            ("name", role),
            ("image", context.Kubernetes.Images.Postgres),
            ("command", Json.Arr("sh", "-c", script, role)),
            ("args", Json.NonEmpty(args.Select(a => (JsonNode?)a))),
            ("env", Dedup(env)),
            ("securityContext", Json.Obj([.. PodTemplate.ContainerSecurity().Select(p => (p.Key, p.Value!.DeepClone())), ("runAsUser", PostgresUser), ("runAsGroup", PostgresUser)])),
            ("volumeMounts", Json.Arr(Json.Obj(("name", "backups"), ("mountPath", Mount)), Json.Obj(("name", "tmp"), ("mountPath", "/tmp")))));
    }

    /// <summary>
    /// How the container reaches the database, secrets by reference only: a URL from <c>env:NAME</c> or <c>secret:NAME</c>
    /// is read from the app's Secret under NAME; <c>host</c>/<c>database</c>/<c>user</c> become libpq's PG* variables
    /// and <c>passwordSecret</c> its <c>PGPASSWORD</c>. A literal URL with a password is not copied into the object.
    /// </summary>
    private static (JsonArray Env, IReadOnlyList<string> Args) Connection(RenderContext context, string name, BackupSpec backup)
    {
        var env = new JsonArray();
        var secret = Names.Secrets(context.App);
        switch (backup.Postgres)
        {
            case { Kind: ValueReferenceKind.Literal, Literal: { } url } when !HasPassword(url):
                env.Add(Value("DATABASE_URL", url));
                break;
            case { Kind: ValueReferenceKind.Literal }:
                context.Note($"backups.{name}.postgres", $"holds a password; the CronJob reads the URL from the Secret {secret} under BACKUP_{Upper(name)}_URL instead of copying it");
                env.Add(SecretValue("DATABASE_URL", secret, $"BACKUP_{Upper(name)}_URL"));
                break;
            case { Name: { } reference }:
                env.Add(SecretValue("DATABASE_URL", secret, reference));
                break;
            default:
                env.Add(Value("PGHOST", backup.Host!));
                env.Add(Value("PGPORT", backup.Port));
                env.Add(Value("PGDATABASE", backup.Database!));
                if (backup.User is { } user)
                {
                    env.Add(Value("PGUSER", user));
                }

                if (backup.PasswordSecret is { } password)
                {
                    env.Add(SecretValue("PGPASSWORD", secret, password));
                }

                return (env, []);
        }

        // Kubernetes fills $(DATABASE_URL) from the container's env: pg_dump takes it as its database, pg_basebackup as --dbname.
        return (env, [backup.Kind == BackupKind.Physical ? "--dbname=$(DATABASE_URL)" : "$(DATABASE_URL)"]);
    }

    private static KubeObject Volume(RenderContext context) => KubeObject.Create("v1", "PersistentVolumeClaim",
        context.Metadata(Names.BackupVolume(context.App), context.Labels(context.App, "backup")),
        ("spec", Json.Obj(
            ("accessModes", Json.Arr("ReadWriteOnce")),
            ("storageClassName", context.Kubernetes.StorageClass),
            ("resources", Json.Obj(("requests", Json.Obj(("storage", "20Gi"))))))));

    private static KubeObject CronJob(RenderContext context, string cronJob, string backup, string schedule, JsonObject container) =>
        KubeObject.Create("batch/v1", "CronJob", context.Metadata(cronJob, context.Labels(backup, "backup")),
            ("spec", Json.Obj(
                ("schedule", schedule),
                ("timeZone", "Etc/UTC"),
                ("concurrencyPolicy", "Forbid"),
                ("successfulJobsHistoryLimit", 3),
                ("failedJobsHistoryLimit", 3),
                ("jobTemplate", Json.Obj(("spec", Json.Obj(
                    ("backoffLimit", 0),
                    ("template", Json.Obj(
                        ("metadata", Json.Obj(("labels", context.Labels(backup, "backup")))),
                        ("spec", VolumeMountedPod(context, Json.Arr(container))))))))))));

    private static void Notes(RenderContext context, string path, BackupSpec backup)
    {
        if (backup.Encryption is not null)
        {
            context.Note($"{path}.encryption", "has no equivalent in the CronJob: encrypt the volume (its StorageClass) instead; the dumps are written unencrypted");
        }

        if (backup.Compression == BackupCompression.Brotli)
        {
            context.Note($"{path}.compression", "brotli is not one of pg_dump's methods; the CronJob compresses with gzip");
        }

        if (backup.Kind == BackupKind.Physical)
        {
            context.Note($"{path}.kind", "physical: the CronJob takes base backups; continuous WAL archiving (point-in-time restore) needs a long-running pg_receivewal, which is not rendered");
        }

        context.NoteIfWritten($"{path}.destination", $"is a directory on one machine; in the cluster the backups go to the volume {Names.BackupVolume(context.App)} (20Gi: resize it to your data)");
        context.NoteIfWritten($"{path}.copyTo", "is not rendered: the CronJob writes to its volume only; copy the volume off site with your storage's own snapshots or replication");
        context.NoteIfWritten($"{path}.rto", "is checked by `slipway drill`, which has no cluster equivalent");
        context.NoteIfWritten($"{path}.rpo", "is checked by `slipway drill`, which has no cluster equivalent");
    }

    private static bool HasPassword(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal);

    private static string Upper(string name) => name.ToUpperInvariant().Replace('-', '_');

    private static JsonArray Dedup(JsonArray env) => Json.Arr(env.GroupBy(e => (string)e!["name"]!).Select(g => g.Last()!.DeepClone()));

    private static JsonObject Value(string name, string value) => Json.Obj(("name", name), ("value", value));

    private static JsonObject Value(string name, int value) => Value(name, value.ToString(CultureInfo.InvariantCulture));

    private static JsonObject SecretValue(string name, string secret, string key) =>
        Json.Obj(("name", name), ("valueFrom", Json.Obj(("secretKeyRef", Json.Obj(("name", secret), ("key", key))))));
}
