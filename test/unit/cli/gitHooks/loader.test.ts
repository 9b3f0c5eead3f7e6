/**
 * Unit tests of src/cli/gitHooks/loader.ts (what `dist/hook.js` runs): a bundle started from V8's
 * code cache only when the cache was made for exactly that file (its build id, or its sha1
 * without one) by this node, and refused when damaged; and a folder
 * that cannot hold the cache costs nothing but the cache. And of `hookEntry` (install): the
 * hooks run the hook entry beside the CLI only when it is ours.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleIdLine, sampledChecksum, startWithCodeCache } from '../../../../src/cli/gitHooks/loader';
import { hookEntry } from '../../../../src/cli/commands/install';
import { hookEntryMarker } from '../../../../src/git/hooks';

describe('hook entry and its code cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-loader-')));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs a bundle, makes its cache, starts from it next time, and not once the bundle changed', () => {
    const bundle = path.join(dir, 'bundle.js');
    const cache = `${bundle}.cache`;
    // Its own require and module, as node's loader gives them.
    fs.writeFileSync(bundle, `module.exports = { answer: () => 40 + 2, base: require('node:path').basename(__filename), own: require.main === module };\n`);
    const first = startWithCodeCache(bundle, cache);
    assert.equal(first.fromCache, false);
    const exports = first.exports as { answer: () => number; base: string; own: boolean };
    assert.deepEqual([exports.answer(), exports.base, exports.own], [42, 'bundle.js', false], 'not the main module: the loader is');
    first.saveCache(1);
    assert.match(fs.readFileSync(cache, 'latin1').split('\n')[0]!, new RegExp(`^[0-9a-f]{40} \\d+ ${process.version.replace(/\./g, '\\.')} ${process.arch} 1 \\d+:[0-9a-f]+$`));

    const second = startWithCodeCache(bundle, cache);
    assert.equal(second.fromCache, true);
    assert.equal((second.exports as { answer: () => number }).answer(), 42);
    const before = fs.readFileSync(cache);
    second.saveCache(1);
    assert.deepEqual(fs.readFileSync(cache), before, 'a cache in use is not rewritten');
    // A run that went further adds what it compiled: the cache now says so.
    second.saveCache(3);
    assert.match(fs.readFileSync(cache, 'latin1').split('\n')[0]!, / 3 \d+:[0-9a-f]+$/);
    const fourth = startWithCodeCache(bundle, cache);
    assert.equal(fourth.fromCache, true);
    const kept = fs.readFileSync(cache);
    fourth.saveCache(2);
    assert.deepEqual(fs.readFileSync(cache), kept, 'a shorter run leaves it');

    // Same length, other code: V8 alone would not tell (it checks the length), the sha1 does.
    fs.writeFileSync(bundle, `module.exports = { answer: () => 40 + 3, base: require('node:path').basename(__filename), own: require.main === module };\n`);
    const third = startWithCodeCache(bundle, cache);
    assert.equal(third.fromCache, false);
    assert.equal((third.exports as { answer: () => number }).answer(), 43);
    third.saveCache(1);
    assert.equal(startWithCodeCache(bundle, cache).fromCache, true);
  });

  it('keys the cache by the id the build writes into the bundle, without hashing it', () => {
    const bundle = path.join(dir, 'bundle.js');
    const cache = `${bundle}.cache`;
    const build = (id: string, body: string): void => fs.writeFileSync(bundle, `${bundleIdLine}${id.repeat(40)}\n${body}`);
    build('a', 'module.exports = () => 40 + 2;\n');
    startWithCodeCache(bundle, cache).saveCache(1);
    assert.match(fs.readFileSync(cache, 'latin1'), new RegExp(`^${'a'.repeat(40)} `), 'the id the first line names');
    assert.equal(startWithCodeCache(bundle, cache).fromCache, true);
    // A rebuild of the same length: another id, another cache.
    build('b', 'module.exports = () => 40 + 3;\n');
    const rebuilt = startWithCodeCache(bundle, cache);
    assert.equal(rebuilt.fromCache, false);
    assert.equal((rebuilt.exports as () => number)(), 43);
    // A first line that is not a sha1 is no id: the bundle is hashed.
    build('not an id', 'module.exports = 1;\n');
    startWithCodeCache(bundle, cache).saveCache(1);
    assert.match(fs.readFileSync(cache, 'latin1'), /^[0-9a-f]{40} /);
    assert.ok(!fs.readFileSync(cache, 'latin1').startsWith('not an id'));
  });

  it('the build writes the id of the bundle the hooks start', () => {
    const built = fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', '..', 'dist', 'hook-impl.js'), 'utf8');
    const id = built.slice(bundleIdLine.length, built.indexOf('\n'));
    assert.ok(built.startsWith(bundleIdLine), built.slice(0, 80));
    assert.equal(id, createHash('sha1').update(built.slice(built.indexOf('\n') + 1)).digest('hex'));
  });

  it('the sampled checksum tells data cut short or with a block zeroed', () => {
    const data = Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 251));
    const sum = sampledChecksum(data);
    assert.equal(sampledChecksum(Buffer.from(data)), sum);
    assert.notEqual(sampledChecksum(data.subarray(0, data.length - 1)), sum, 'one byte short');
    const zeroed = Buffer.from(data);
    zeroed.fill(0, 8192, 12288);
    assert.notEqual(sampledChecksum(zeroed), sum, 'a 4 KB block zeroed');
  });

  it('ignores a cache it cannot read or write', () => {
    const bundle = path.join(dir, 'bundle.js');
    fs.writeFileSync(bundle, 'module.exports = 7;\n');
    const cache = path.join(dir, 'no-such-folder', 'bundle.js.cache');
    const started = startWithCodeCache(bundle, cache);
    assert.equal(started.exports, 7);
    started.saveCache(1);
    assert.ok(!fs.existsSync(path.dirname(cache)));
    fs.writeFileSync(`${bundle}.cache`, 'garbage');
    assert.equal(startWithCodeCache(bundle, `${bundle}.cache`).fromCache, false);
    // Made for this file, then damaged (cut short, or a sampled byte changed): refused before V8 sees it.
    startWithCodeCache(bundle, `${bundle}.cache`).saveCache(1);
    assert.equal(startWithCodeCache(bundle, `${bundle}.cache`).fromCache, true);
    const whole = fs.readFileSync(`${bundle}.cache`);
    const dataAt = whole.indexOf(10) + 1;
    const changed = Buffer.from(whole);
    changed.writeUInt8(changed.readUInt8(dataAt + 64) ^ 0xff, dataAt + 64);
    for (const damaged of [whole.subarray(0, whole.length - 5), changed]) {
      fs.writeFileSync(`${bundle}.cache`, damaged);
      const again = startWithCodeCache(bundle, `${bundle}.cache`);
      assert.equal(again.fromCache, false);
      assert.equal(again.exports, 7);
    }
  });

  it('install points the hooks at the hook entry beside the CLI only when it is ours', () => {
    const cli = path.join(dir, 'cli.js');
    fs.writeFileSync(cli, '');
    assert.equal(hookEntry(cli), cli, 'no hook.js: the CLI runs hook-git itself');
    fs.writeFileSync(path.join(dir, 'hook.js'), 'console.log("someone else");\n');
    assert.equal(hookEntry(cli), cli, 'a hook.js that is not ours');
    fs.writeFileSync(path.join(dir, 'hook.js'), `${hookEntryMarker}\n"use strict";\n`);
    assert.equal(hookEntry(cli), path.join(dir, 'hook.js'));
  });
});
