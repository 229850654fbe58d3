// Validates Kubernetes objects (a JSON array on stdin) with the official schemas the kubernetes-models packages
// carry: types, required fields, enums and formats, offline. Prints one line per problem and exits 1 when there is
// any; an object of a kind no package here knows is a problem too, never skipped.
// It accepts unknown fields; the C# tests check those against KubernetesClient and the CRDs' own schemas.
import { readFileSync } from 'node:fs';

const packages = {
  '': 'kubernetes-models',
  'apps': 'kubernetes-models',
  'autoscaling': 'kubernetes-models',
  'batch': 'kubernetes-models',
  'policy': 'kubernetes-models',
  'networking.k8s.io': 'kubernetes-models',
  'argoproj.io': '@kubernetes-models/argo-rollouts',
  'gateway.networking.k8s.io': '@kubernetes-models/gateway-api',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'external-secrets.io': '@kubernetes-models/external-secrets',
};

const objects = JSON.parse(readFileSync(0, 'utf8'));
const problems = [];
for (const object of objects) {
  const where = `${object.kind}/${object.metadata?.name}`;
  const slash = object.apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : object.apiVersion.slice(0, slash);
  const version = object.apiVersion.slice(slash + 1);
  const pkg = packages[group];
  if (!pkg) {
    problems.push(`${where}: no schema package for ${object.apiVersion}`);
    continue;
  }
  const path = `${pkg}/${group === '' ? version : `${group}/${version}`}`;
  let Model;
  try {
    Model = (await import(path))[object.kind];
  } catch (e) {
    problems.push(`${where}: ${path} cannot be loaded: ${e.message}`);
    continue;
  }
  if (!Model) {
    problems.push(`${where}: ${path} has no ${object.kind}`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (e) {
    problems.push(`${where}: ${e.message}`);
  }
}

for (const problem of problems) console.log(problem);
console.log(`validated ${objects.length} objects, ${problems.length} problems`);
process.exit(problems.length === 0 ? 0 : 1);
