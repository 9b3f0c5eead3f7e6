/**
 * The stdin silence limit of the hooks (src/cli/processIo.ts) on a process that got no CPU for
 * longer than the limit: the payload was in the pipe all along, and must be read, not taken for
 * silence. (On two cores at load 30 the agent hook of badInput's 50 MB row lost its payload so:
 * node runs due timers before it polls for input.) The starved stretch is a busy loop in the
 * child, which is what a process the scheduler leaves waiting looks like from inside.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runProcess } from '../helpers/tempRepo';

const processIoJs = path.resolve(__dirname, '..', '..', 'src', 'cli', 'processIo.js');

describe('stdin read by a process starved past the silence limit (integration)', () => {
  it('reads the payload that waited in the pipe, instead of giving up on it', async () => {
    const script = [
      `const read = require(${JSON.stringify(processIoJs)}).processIo().stdin({ timeoutMs: 100 });`,
      // No turn of the event loop for 5 times the limit, with the payload already in the pipe.
      'const until = Date.now() + 500; while (Date.now() < until) {}',
      'read.then((text) => process.stdout.write(JSON.stringify(text)));',
    ].join('\n');
    const r = await runProcess(process.execPath, ['-e', script], { cwd: path.dirname(processIoJs), input: '{"payload":1}' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout), '{"payload":1}');
  });
});
