/**
 * Validation against the SARIF 2.1.0 JSON schema (draft-04) of the OASIS Standard, vendored
 * unchanged in `test/fixtures/sarif/` with its source and licence (LICENSE.md there).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

/** The vendored schema file (tests run from `out/test/helpers`). */
export const sarifSchemaPath = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json');

let compiled: ValidateFunction | undefined;

/** The schema's errors for `log`, as readable lines (empty: valid). The first call compiles the schema (about a second). */
export function sarifErrors(log: unknown): string[] {
  const validate = (compiled ??= compile());
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

function compile(): ValidateFunction {
  const schema = JSON.parse(fs.readFileSync(sarifSchemaPath, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false });
  // uri, uri-reference, date-time: checked, not ignored.
  addFormats(ajv);
  return ajv.compile(schema);
}
