// Validates every pack and fixture file in the repository against the
// committed JSON Schemas with ajv in strict mode: an independent check that
// the schemas are standard JSON Schema 2020-12 and describe the files.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(join(process.argv[2], "package.json"));
const Ajv2020 = require("ajv/dist/2020").default;

const root = new URL("..", import.meta.url).pathname;
const read = (path) => JSON.parse(readFileSync(join(root, path), "utf8"));
// Union types ("type": ["string", "number"]) are standard; ajv asks for them by name.
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
const pack = ajv.compile(read("rules/schema/pack.schema.json"));
const fixtures = ajv.compile(read("rules/schema/fixture.schema.json"));

const jsonFiles = (dir) =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? jsonFiles(join(dir, entry.name))
      : entry.name.endsWith(".json") ? [join(dir, entry.name)] : [],
  );

const cases = [
  ["rules/default.json", pack],
  ["tests/data/minimal-pack.json", pack],
  ...jsonFiles("rules/fixtures").map((file) => [file, fixtures]),
  ...jsonFiles("rules/examples").map((file) => [file, file.endsWith(".fixtures.json") ? fixtures : pack]),
];
let failed = 0;
for (const [file, validate] of cases) {
  if (!validate(read(file))) {
    failed += 1;
    console.error(`${file}: ${ajv.errorsText(validate.errors)}`);
  }
}
console.log(`${cases.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
