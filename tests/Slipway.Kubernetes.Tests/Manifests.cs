namespace Slipway.Kubernetes.Tests;

/// <summary>Manifests that between them reach every renderer: both traffic APIs, every strategy, hooks, application metrics, both backup kinds.</summary>
internal static class Manifests
{
    /// <summary>ingress-nginx with TLS from cert-manager, External Secrets, a canary judged on an application metric too.</summary>
    public const string IngressCanary = """
        app: store
        proxy:
          listen: ["https://0.0.0.0:8443"]
          tls: { certificate: shop.pem, key: shop.key, redirectHttp: true }
          headers: { preset: secure, remove: [Server] }
        services:
          api:
            image: "ghcr.io/acme/api:${VERSION}"
            version: "2.1.0"
            run: { command: api, env: { MODE: prod, POD: "${INSTANCE}" }, secrets: [DB_PASSWORD] }
            replicas: 4
            routes:
              - { host: api.example.com, path: /v1, rateLimit: { rate: 10/s, burst: 25 }, timeouts: { firstByte: 20s } }
              - { host: "*.example.com", path: /login, rateLimit: { rate: 5/m } }
            metrics: { path: /metrics, interval: 30s }
            health:
              readiness: { http: /ready }
              liveness: { tcp: true, period: 20s }
            resources: { memory: 512MB, cpu: 1 }
            deploy:
              strategy: canary
              steps: [ { weight: 10, pause: 1m }, { weight: 50, pause: until-promoted } ]
              analysis:
                interval: 1m
                maxErrorRate: 2%
                maxP99: 1s
                metrics:
                  - { name: payments, expr: 'app_ratio("payments_failed_total", "payments_total")[1m]', max: 0.05, maxOverStable: 0.01 }
              previewHost: preview.example.com
            slo: { availability: 99.5% }
        alerts:
          rules: [ high-error-rate, high-latency, instance-down, crash-looping, high-memory, high-cpu, slo-burn-rate, certificate-expiring,
                   { name: payments, expr: 'app_ratio("payments_failed_total", "payments_total", service="api")[5m] > 5%' } ]
        backups:
          db:
            host: db.internal
            database: store
            user: backup
            passwordSecret: PG_PASSWORD
            kind: physical
            schedule: "30 1 * * *"
            destination: /var/backups/store
        kubernetes:
          namespace: store-prod
          traffic: ingress
          certIssuer: letsencrypt
          externalSecrets: { store: vault, refreshInterval: 15m }
          imagePullSecrets: [ghcr]
          storageClass: encrypted-ssd
          labels: { release: kube-prometheus-stack, team: payments }
        """;

    /// <summary>Gateway API, rolling Deployments with manual hook Jobs, exec probes, memory autoscaling, a logical backup with verify.</summary>
    public const string GatewayRolling = """
        app: blog
        services:
          site:
            image: registry.example.com/blog/site:7
            run: { command: site, args: ["--port", "${PORT}"] }
            replicas: 2
            routes: [ { host: blog.example.com, path: /, methods: [GET, HEAD], headers: { X-Env: prod } } ]
            internal: { port: 9200 }
            health:
              startup: { exec: [test, -f, /tmp/ready], period: 2s, failureThreshold: 15 }
              readiness: { http: /healthz, period: 500ms, timeout: 500ms }
            stop: { drainTimeout: 5s, gracePeriod: 20s }
            resources: { memory: 1GB }
            deploy:
              strategy: rolling
              maxSurge: 1
              maxUnavailable: 25%
              minReady: 10s
              hooks:
                before: "site migrate --to ${VERSION}"
                after: { command: site, args: [warm-cache], env: { LEVEL: "2" } }
                smoke: ["GET /healthz"]
            autoscale: { min: 2, max: 6, memory: 80%, cpu: 60% }
          jobs:
            image: registry.example.com/blog/jobs:7
            run: { command: jobs }
            deploy: { strategy: blue-green, scaleDownDelay: 0, autoPromote: false }
        backups:
          posts:
            postgres: "secret:POSTS_URL"
            schedule: "@daily"
            compression: zstd
            retention: { keepLast: 5, daily: 14 }
            destination: backups
            verify: { schedule: "0 5 * * 0", queries: ["select count(*) from posts"] }
        kubernetes:
          gateway: { name: public, namespace: gateway-system, sectionName: https }
          port: 3000
        """;
}
