/**
 * Bad input, one table (issue #16): odd files (CRLF, no final newline, binary, empty, 50 MB),
 * odd names (spaces, unicode, a leading dash, a newline), reversed and out-of-range ranges,
 * and tool or model names with line breaks, NUL, bidirectional marks or 10 KB of text — through
 * `record`, an agent hook, `blame`, `check` and `stats`, the built CLI in a real repository with
 * its git hooks installed. A row either works (and its lines come out right, through a commit
 * when it says so) or is refused with exit 2 and exactly one line on stderr, with the ledger
 * byte for byte as it was. Names never make a second trailer or break the trailer block.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BlameJson } from '../helpers/gitHooks';
import { gitOk, noteRanges, noteOf, trailersOf } from '../helpers/gitHooks';
import type { ProcessRun } from '../helpers/tempRepo';
import { TempRepo } from '../helpers/tempRepo';

const fixtures = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'agent-hooks');

/** What a row expects: it works (and `then` checks the outcome), or it is refused with this one line. */
type Expect = { readonly ok: true; readonly then?: (r: ProcessRun) => Promise<void> | void } | { readonly refused: RegExp };

interface Row {
  readonly title: string;
  /** Files the row needs, written (not committed) before it runs. */
  readonly files?: Readonly<Record<string, string | Buffer>>;
  readonly run: () => Promise<ProcessRun>;
  readonly expect: Expect;
}

describe('bad input, one table: a clear line and nothing changed, or the right lines (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let cwd: string;
  const ledger = (): string => (fs.existsSync(repo.ledgerFile) ? fs.readFileSync(repo.ledgerFile, 'utf8') : '');
  const record = (...args: string[]): Promise<ProcessRun> => repo.cli(['record', ...args]);
  const blame = async (file: string): Promise<BlameJson[]> => {
    const r = await repo.cli(['blame', '--json', '--', file]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as BlameJson[];
  };
  /** Commits `files` through the installed git hooks; returns the commit. */
  const commit = (files: readonly string[], message: string): string => {
    gitOk(cwd, ['add', '--', ...files]);
    gitOk(cwd, ['commit', '-q', '-m', message]);
    return gitOk(cwd, ['rev-parse', 'HEAD']).trim();
  };
  /** The agent hook as Claude Code runs it after a Write of `content` to `rel` (the file is written first). */
  const claudeWrite = (rel: string, content: string | Buffer, extra: Record<string, unknown> = {}): Promise<ProcessRun> => {
    repo.write(rel, '');
    fs.writeFileSync(path.join(cwd, rel), content);
    const text = typeof content === 'string' ? content : content.toString('latin1');
    const abs = path.join(cwd, rel);
    const payload = { session_id: 's-bad', cwd, hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: abs, content: text }, tool_response: { type: 'create', filePath: abs, content: text }, tool_use_id: 'toolu_bad', ...extra };
    return repo.cli(['hook', 'claude-code'], { input: JSON.stringify(payload) });
  };
  /** Codex's apply_patch of the fixture, with `model` as the payload's model. */
  const codexWithModel = async (model: string): Promise<ProcessRun> => {
    const fill = (name: string): Record<string, unknown> => {
      const text = fs.readFileSync(path.join(fixtures, 'codex', name), 'utf8').replaceAll('${REPO}', JSON.stringify(cwd).slice(1, -1));
      return { ...(JSON.parse(text) as Record<string, unknown>), model };
    };
    const pre = await repo.cli(['hook', 'codex'], { input: JSON.stringify(fill('apply-patch.pre.json')) });
    assert.equal(pre.code, 0, pre.stderr);
    repo.write('src/calc.ts', fs.readFileSync(path.join(fixtures, 'codex', 'apply-patch.after.ts'), 'utf8'));
    return repo.cli(['hook', 'codex'], { input: JSON.stringify(fill('apply-patch.post.json')) });
  };
  /** Lines of the hooks log (one per agent hook call that recorded nothing). */
  const hookLog = (): string[] => {
    const f = path.join(cwd, '.git', 'ai-provenance', 'hooks.log');
    return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.length > 0) : [];
  };

  const newlineName = 'src/two\nlines.ts';
  const hostileNames: ReadonlyArray<readonly [string, string]> = [
    ['a newline and a sign-off', 'Claude\nSigned-off-by: Mallory <m@x>'],
    ['a carriage return', 'Claude\rAI-Lines: 999/999'],
    ['a right-to-left override', 'Claude\u202eedoC'],
    ['a zero-width joiner', 'Cla\u200dude'],
    ['10 KB of text', 'x'.repeat(10 * 1024)],
  ];

  const rows: Row[] = [
    // ---- record: files ------------------------------------------------------------------
    {
      title: 'record: a CRLF file, its lines exact through a commit',
      files: { 'src/crlf.ts': 'one\r\ntwo\r\nthree\r\n' },
      run: () => record('--tool', 'Claude Code', 'src/crlf.ts:2-3'),
      expect: {
        ok: true,
        then: async () => {
          commit(['src/crlf.ts'], 'crlf');
          assert.deepEqual(noteRanges(noteOf(cwd), 'src/crlf.ts'), [[2, 3]]);
          assert.deepEqual((await blame('src/crlf.ts')).map((l) => l.kind), ['none', 'ai', 'ai']);
          assert.ok(trailersOf(cwd).includes('AI-Lines: 2/3'), trailersOf(cwd).join('\n'));
        },
      },
    },
    {
      title: 'record: a file without a final newline, its last line',
      files: { 'src/nonl.ts': 'a\nb' },
      run: () => record('--tool', 'Codex', 'src/nonl.ts:2'),
      expect: {
        ok: true,
        then: async () => {
          commit(['src/nonl.ts'], 'nonl');
          assert.deepEqual((await blame('src/nonl.ts')).map((l) => [l.kind, l.tool]), [['none', null], ['ai', 'Codex']]);
        },
      },
    },
    { title: 'record: a binary file', files: { 'img.bin': Buffer.from([0x89, 0x50, 0x00, 0x0a, 0x01, 0x0a]) }, run: () => record('--tool', 'T', 'img.bin:1'), expect: { refused: /^git provenance record: img\.bin is a binary file; nothing recorded$/ } },
    { title: 'record: an empty file', files: { 'empty.ts': '' }, run: () => record('--tool', 'T', 'empty.ts:1'), expect: { refused: /empty\.ts: line 1 is past the end of the file \(0 lines\)$/ } },
    { title: 'record: a 50 MB file', files: { 'big.ts': Buffer.alloc(50 * 1024 * 1024, 'x\n') }, run: () => record('--tool', 'T', 'big.ts:1'), expect: { refused: /big\.ts is 50\.0 MB, larger than the 5 MB record takes; nothing recorded$/ } },
    // ---- record: names ------------------------------------------------------------------
    {
      title: 'record: a name with spaces',
      files: { 'src/with space.ts': 'a\n' },
      run: () => record('--tool', 'T', 'src/with space.ts:1'),
      expect: { ok: true, then: async () => assert.deepEqual((await blame('src/with space.ts')).map((l) => l.kind), ['ai']) },
    },
    {
      title: 'record: a unicode name',
      files: { 'src/naïve-文字.ts': 'a\n' },
      run: () => record('--tool', 'T', 'src/naïve-文字.ts:1'),
      expect: { ok: true, then: async () => assert.deepEqual((await blame('src/naïve-文字.ts')).map((l) => l.kind), ['ai']) },
    },
    {
      title: 'record: a name with a leading dash (after --)',
      files: { '-dash.ts': 'a\n' },
      run: () => record('--tool', 'T', '--', '-dash.ts:1'),
      expect: { ok: true, then: async () => assert.deepEqual((await blame('-dash.ts')).map((l) => l.kind), ['ai']) },
    },
    {
      title: 'record: a name with a newline, through a commit and blame',
      files: { [newlineName]: 'a\nb\n' },
      run: () => record('--tool', 'T', `${newlineName}:2`),
      expect: {
        ok: true,
        then: async () => {
          commit([newlineName], 'newline name');
          assert.deepEqual(noteRanges(noteOf(cwd), newlineName), [[2, 2]]);
          assert.deepEqual((await blame(newlineName)).map((l) => l.kind), ['none', 'ai']);
        },
      },
    },
    { title: 'record: a missing file whose name has a newline', run: () => record('--tool', 'T', 'src/no\nsuch.ts:1'), expect: { refused: /^git provenance record: no such file: "src\/no\\nsuch\.ts"$/ } },
    // ---- record: ranges -----------------------------------------------------------------
    { title: 'record: a reversed range', files: { 'src/r.ts': 'a\nb\nc\nd\ne\n' }, run: () => record('--tool', 'T', 'src/r.ts:5-2'), expect: { refused: /"src\/r\.ts:5-2": lines must be 1-based and START <= END \(reversed: write 2-5\)$/ } },
    { title: 'record: a range past the end', files: { 'src/r.ts': 'a\nb\nc\nd\ne\n' }, run: () => record('--tool', 'T', 'src/r.ts:4-9'), expect: { refused: /src\/r\.ts: line 9 is past the end of the file \(5 lines\)$/ } },
    { title: 'record: line 0', files: { 'src/r.ts': 'a\n' }, run: () => record('--tool', 'T', 'src/r.ts:0-1'), expect: { refused: /lines must be 1-based/ } },
    { title: 'record: a line number of 20 digits', files: { 'src/r.ts': 'a\n' }, run: () => record('--tool', 'T', 'src/r.ts:1-99999999999999999999'), expect: { refused: /line numbers too large$/ } },
    // ---- record: tool and model names ---------------------------------------------------
    ...hostileNames.flatMap(([what, name]): Row[] => [
      { title: `record: a tool name with ${what}`, files: { 'src/n.ts': 'a\n' }, run: () => record('--tool', name, 'src/n.ts:1'), expect: { refused: /^git provenance record: --tool (holds .* a name is one line of visible text|is 10240 characters long \(at most 200\)); nothing recorded$/ } },
      { title: `record: a model name with ${what}`, files: { 'src/n.ts': 'a\n' }, run: () => record('--tool', 'T', '--model', name, 'src/n.ts:1'), expect: { refused: /^git provenance record: --model (holds .* a name is one line of visible text|is 10240 characters long \(at most 200\)); nothing recorded$/ } },
    ]),
    // ---- agent hooks --------------------------------------------------------------------
    ...[...hostileNames, ['a NUL', 'gpt\u0000Signed-off-by: Mallory <m@x>'] as const].map(([what, name]): Row => ({
      title: `agent hook: a model with ${what} is dropped, the lines kept, one trailer block`,
      run: () => codexWithModel(name),
      expect: {
        ok: true,
        then: () => {
          commit(['src/calc.ts'], 'codex edit');
          const trailers = trailersOf(cwd);
          assert.deepEqual(trailers.filter((t) => t.startsWith('Assisted-by:')), ['Assisted-by: Codex:unknown']);
          assert.equal(trailers.filter((t) => /^(Signed-off-by|AI-Lines):/.test(t)).length, 1, trailers.join('\n'));
          assert.deepEqual(trailers.map((t) => t.split(':')[0]), ['Assisted-by', 'AI-Lines', 'AI-Provenance']);
          gitOk(cwd, ['-c', 'core.hooksPath=/dev/null', 'reset', '-q', '--hard', 'HEAD~1']);
        },
      },
    })),
    {
      title: 'agent hook: a CRLF file written by the agent',
      run: () => claudeWrite('src/agent-crlf.ts', 'x\r\ny\r\n'),
      expect: { ok: true, then: async () => assert.deepEqual((await blame('src/agent-crlf.ts')).map((l) => [l.kind, l.tool]), [['ai', 'Claude Code'], ['ai', 'Claude Code']]) },
    },
    {
      title: 'agent hook: a file named with spaces, unicode and a newline',
      run: () => claudeWrite('src/ä b\nc.ts', 'x\n'),
      expect: { ok: true, then: async () => assert.deepEqual((await blame('src/ä b\nc.ts')).map((l) => l.kind), ['ai']) },
    },
    {
      title: 'agent hook: an empty file records nothing',
      run: () => claudeWrite('src/agent-empty.ts', ''),
      expect: { ok: true, then: async () => assert.deepEqual(await blame('src/agent-empty.ts'), []) },
    },
    { title: 'agent hook: a binary file', run: () => claudeWrite('src/agent.bin', Buffer.from([0x00, 0x01, 0x0a])), expect: { refused: /is binary/ } },
    { title: 'agent hook: a 50 MB file', run: () => claudeWrite('src/agent-big.ts', Buffer.alloc(50 * 1024 * 1024, 'y\n')), expect: { refused: /is larger than 5 MB/ } },
    // ---- blame, check, stats ------------------------------------------------------------
    { title: 'blame: a binary file', files: { 'img2.bin': Buffer.from([0x00, 0x0a]) }, run: () => repo.cli(['blame', 'img2.bin']), expect: { refused: /^git provenance blame: img2\.bin is a binary file: no lines to blame$/ } },
    { title: 'blame: a revision that does not exist', run: () => repo.cli(['blame', '--rev', 'HEAD~99', 'base.ts']), expect: { refused: /^git provenance blame: --rev HEAD~99: no such commit$/ } },
    { title: 'blame: a missing file whose name has a newline', run: () => repo.cli(['blame', '--', 'gone\nfile.ts']), expect: { refused: /^git provenance blame: no such file: "gone\\nfile\.ts"$/ } },
    { title: 'check: a range past the start of history', run: () => repo.cli(['check', 'HEAD~99..HEAD']), expect: { refused: /^git provenance check: not a revision range git knows: HEAD~99\.\.HEAD/ } },
    { title: 'stats: a range past the start of history', run: () => repo.cli(['stats', 'HEAD~99..HEAD']), expect: { refused: /^git provenance stats: bad range HEAD~99\.\.HEAD/ } },
    {
      title: 'check: a reversed range is empty, exits 0, and says it looks reversed',
      run: () => repo.cli(['check', 'HEAD..HEAD~1']),
      expect: { ok: true, then: (r) => assert.match(r.stderr, /^note: HEAD\.\.HEAD~1 holds no commit, but HEAD~1\.\.HEAD holds 1: is the range reversed\?\n$/) },
    },
    {
      title: 'stats: a reversed range says it looks reversed',
      run: () => repo.cli(['stats', 'HEAD..HEAD~1']),
      expect: { ok: true, then: (r) => assert.match(r.stderr, /is the range reversed\?\n$/) },
    },
  ];

  before(async () => {
    repo = TempRepo.create();
    cwd = repo.root;
    const r = await repo.cli(['install']);
    assert.equal(r.code, 0, r.stderr);
    repo.write('base.ts', 'base\n');
    repo.write('src/calc.ts', fs.readFileSync(path.join(fixtures, 'before.ts'), 'utf8'));
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, ['-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'base']);
    repo.write('base.ts', 'base\nmore\n');
    gitOk(cwd, ['-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-am', 'second']);
    // Something in the ledger, so "nothing changed" means something.
    repo.write('keep.ts', 'k1\nk2\n');
    const k = await repo.cli(['record', '--tool', 'Claude Code', 'keep.ts:1-2']);
    assert.equal(k.code, 0, k.stderr);
  });
  after(() => repo.dispose());

  it('has a row for each kind of bad input the issue names', () => {
    assert.ok(rows.length >= 40, `${rows.length} rows`);
  });

  for (const row of rows) {
    it(row.title, async () => {
      for (const [rel, text] of Object.entries(row.files ?? {})) {
        fs.mkdirSync(path.dirname(path.join(cwd, rel)), { recursive: true });
        fs.writeFileSync(path.join(cwd, rel), text);
      }
      const before = ledger();
      const logBefore = hookLog().length;
      const r = await row.run();
      const hook = row.title.startsWith('agent hook');
      if ('refused' in row.expect) {
        if (hook) {
          // An agent hook never fails the agent: exit 0, and the one line goes to stderr and the log.
          assert.equal(r.code, 0, r.stderr);
          assert.equal(hookLog().length, logBefore + 1, 'one hooks.log line');
          assert.match(hookLog().pop()!, row.expect.refused);
        } else {
          assert.equal(r.code, 2, `exit ${r.code}: ${r.stderr}`);
          assert.equal(r.stdout, '', 'nothing on stdout');
        }
        assert.equal(r.stderr.endsWith('\n') ? r.stderr.slice(0, -1).includes('\n') : r.stderr.includes('\n'), false, `one line on stderr: ${JSON.stringify(r.stderr)}`);
        assert.match(r.stderr.trimEnd(), row.expect.refused);
        assert.equal(ledger(), before, 'the ledger is byte for byte as it was');
      } else {
        assert.equal(r.code, 0, r.stderr);
        if (!hook && !row.title.includes('reversed')) assert.equal(r.stderr, '', 'nothing on stderr');
        await row.expect.then?.(r);
      }
      for (const rel of Object.keys(row.files ?? {})) fs.rmSync(path.join(cwd, rel), { force: true });
    });
  }
});
