/**
 * Unit tests of src/core/report/sarif.ts: check's verdicts as a SARIF 2.1.0 log, validated
 * against the SARIF 2.1.0 JSON schema; one result per file of a violation with its line spans.
 */
import assert from 'node:assert/strict';
import type { CheckWarning, Violation } from '../../../../src/core/policy/verdicts';
import { sarifLog } from '../../../../src/core/report/sarif';
import { sarifErrors } from '../../../helpers/sarifSchema';

const c1 = 'a'.repeat(40);
const c2 = 'b'.repeat(40);
const violations: Violation[] = [
  { commit: c1, subject: 'Charge cards', author: 'Ann <ann@example.com>', kind: 'critical', friction: 'review', reason: 'payments', evidence: 'note', files: [{ path: 'src/payments/charge.ts', lines: [[1, 10], [14, 14]] }, { path: 'src/payments/a b#1.ts', lines: [[2, 3]] }], message: 'AI-written lines in critical path … without review' },
  { commit: c2, subject: 'Keys', author: 'Ann <ann@example.com>', kind: 'critical', friction: 'block', reason: 'secrets', evidence: 'trailers', files: [{ path: 'keys/x.pem', lines: [[1, 2]] }], message: 'where the policy allows no AI-written code' },
  { commit: c2, subject: 'Keys', author: 'Ann <ann@example.com>', kind: 'tampering', evidence: 'note', files: [], message: 'the note names 2 AI-written line(s) but the message has no Assisted-by: trailer' },
];
const warnings: CheckWarning[] = [
  { commit: c1, message: 'AI-written lines in critical path (infra; friction: warn)', files: [{ path: 'infra/main.tf', lines: [[5, 6]] }] },
  { message: 'policy broken at HEAD; using the last valid one' },
];

describe('check --format sarif', function () {
  // Compiling the schema takes a second or more on a loaded machine.
  this.timeout(60_000);
  const log = sarifLog({ version: '0.1.0', violations, warnings, revs: ['main..HEAD'], commits: 2 });

  it('validates against the SARIF 2.1.0 schema', () => {
    assert.deepEqual(sarifErrors(log), []);
  });

  it('a log with no finding validates too', () => {
    assert.deepEqual(sarifErrors(sarifLog({ version: '0.1.0', violations: [], warnings: [], revs: ['HEAD'], commits: 0 })), []);
  });

  it('the schema check is not vacuous: a broken log fails it', () => {
    assert.notDeepEqual(sarifErrors({ version: '2.0.0', runs: [] }), []);
    const run = (log.runs as Array<Record<string, unknown>>)[0]!;
    assert.notDeepEqual(sarifErrors({ ...log, runs: [{ ...run, results: [{ ruleId: 'AIP001', level: 'fatal', message: { text: 'x' } }] }] }), []);
  });

  it('one result per file of a violation, its regions the spans; file-less messages are notifications', () => {
    const run = (log.runs as Array<{ results: Array<{ ruleId: string; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; endLine: number } } }> }>; invocations: Array<{ toolExecutionNotifications: Array<{ level: string; message: { text: string } }> }> }>)[0]!;
    assert.deepEqual(
      run.results.map((r) => [r.ruleId, r.level, r.locations.map((l) => `${l.physicalLocation.artifactLocation.uri}:${l.physicalLocation.region.startLine}-${l.physicalLocation.region.endLine}`)]),
      [
        ['AIP001', 'error', ['src/payments/charge.ts:1-10', 'src/payments/charge.ts:14-14']],
        ['AIP001', 'error', ['src/payments/a%20b%231.ts:2-3']],
        ['AIP002', 'error', ['keys/x.pem:1-2']],
        ['AIP004', 'warning', ['infra/main.tf:5-6']],
      ],
    );
    assert.deepEqual(run.invocations[0]!.toolExecutionNotifications.map((n) => n.level), ['warning', 'error']);
    assert.match(run.invocations[0]!.toolExecutionNotifications[1]!.message.text, /^commit bbbbbbbbbbbb \(Keys\): the note names/);
  });
});
