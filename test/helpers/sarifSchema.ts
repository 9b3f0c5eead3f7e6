/**
 * Validation against the SARIF 2.1.0 JSON schema (draft-04), as published by OASIS and shipped
 * in the `@microsoft/jest-sarif` package (`lib/schemas/sarif-2.1.0-rtm.5.json`, the schema
 * of the 2.1.0 standard); only the schema file is used, not the package's code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

/** The schema file, from the dev dependency that ships it. */
export const sarifSchemaPath = path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

let compiled: ValidateFunction | undefined;

/** The schema's errors for `log`, as readable lines (empty: valid). The first call compiles the schema (about a second). */
export function sarifErrors(log: unknown): string[] {
  const validate = (compiled ??= compile());
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

function compile(): ValidateFunction {
  const schema = JSON.parse(fs.readFileSync(sarifSchemaPath, 'utf8')) as Record<string, unknown>;
  // unicodeRegExp off: the schema's `language` pattern has a stray `]` that only non-Unicode
  // regular expressions (what the schema's authors tested with) accept as a literal.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  // uri, uri-reference, date-time: checked, not ignored.
  addFormats(ajv);
  return ajv.compile(schema);
}
