/**
 * Unit tests of src/node/handoff.ts: what prepare-commit-msg leaves for commit-msg. AI lines
 * and, since governance (`unattested`), lines of unknown origin travel as runs; a file of
 * another git process is not read.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LineRun } from '../../../src/core/lines/lines';
import type { Origin } from '../../../src/core/model';
import { saveStagedAiLines, takeStagedAiLines } from '../../../src/node/handoff';

const origin: Origin = { id: 'o', kind: 'agent', tool: 'Claude Code', session: 's', time: 0 };
const run = (startLine: number, endLine: number, kind: LineRun['kind']): LineRun => ({ startLine, endLine, kind, origin });

describe('handoff between the message hooks', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aip-handoff-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('carries AI lines and lines of unknown origin, each file once, and is read once', async () => {
    saveStagedAiLines(dir, { AIP_GIT_PID: '7' }, [
      { path: 'a.ts', runs: [run(1, 2, 'ai'), run(3, 3, 'mixed'), run(5, 6, 'unknown')] },
      { path: 'b.ts', runs: [run(4, 4, 'unknown')] },
      { path: 'c.ts', runs: [] },
    ]);
    assert.deepEqual(await takeStagedAiLines(dir, { AIP_GIT_PID: '7' }), {
      ai: [{ path: 'a.ts', lines: [1, 2, 3] }],
      unknown: [
        { path: 'a.ts', lines: [5, 6] },
        { path: 'b.ts', lines: [4] },
      ],
    });
    assert.deepEqual(await takeStagedAiLines(dir, { AIP_GIT_PID: '7' }), { ai: [], unknown: [] });
  });

  it('ignores the file of another git process', async () => {
    saveStagedAiLines(dir, { AIP_GIT_PID: '7' }, [{ path: 'a.ts', runs: [run(1, 1, 'ai')] }]);
    assert.deepEqual(await takeStagedAiLines(dir, { AIP_GIT_PID: '8' }), { ai: [], unknown: [] });
  });
});
