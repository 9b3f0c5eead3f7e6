/**
 * Validates Agent Trace records against the vendored schema (test/fixtures/agent-trace, CC BY
 * 4.0) with ajv's draft 2020-12 build. Formats (uuid, date-time, uri) are not checked by ajv
 * here (ajv-formats is not a dependency); the schema's own patterns check uuid and date-time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';

const schemaPath = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'agent-trace', 'trace-record.schema.json');

let validate: ((data: unknown) => boolean) & { errors?: unknown } | undefined;

/** The schema's complaints about `record`, as one readable string; empty when it is valid. */
export function traceRecordErrors(record: unknown): string {
  if (!validate) {
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as object);
  }
  return validate(record) ? '' : JSON.stringify(validate.errors);
}
