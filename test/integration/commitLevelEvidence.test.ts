/**
 * Commits that arrive without a note but whose trailers say AI helped (issue #16): a `git am`
 * of a format-patch with `Assisted-by:`, an agent's `Co-authored-by:` with its address, our own
 * AI trailers whose note is not here. `blame`, `stats` and `show` never call their lines plainly
 * `none`: they are `unknown` with the tool, and the trailer that says so is named. Only the
 * trailer block counts, as git parses it: the same lines in the body are prose — for this
 * evidence, for `AI-Critical-Override` at commit and in `check`, and for the tamper check.
 * Real git, the built CLI installed as hooks.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BlameJson } from '../helpers/gitHooks';
import { gitOk, gitRun, noteOf, numbered } from '../helpers/gitHooks';
import { TempRepo } from '../helpers/tempRepo';

interface StatsJson {
  total: { added: number; ai: number; mixed: number; unknown: number };
  commitsWithTrailers: number;
  rows: Array<{ key: string | null; added: number; unknown: number }>;
  commitLevel: Array<{ commit: string; evidence: string; added: number }>;
}

type Blame = BlameJson & { evidence?: string };

describe('commits without a note whose trailers say AI helped (integration)', function () {
  this.timeout(240_000);
  let repo: TempRepo;
  let cwd: string;
  const noHooks = ['-c', 'core.hooksPath=/dev/null'];
  const head = (): string => gitOk(cwd, ['rev-parse', 'HEAD']).trim();
  /** Commits `file` (n new lines appended) without our hooks, with `message`. */
  const commitLines = (file: string, n: number, message: string): string => {
    const old = fs.existsSync(path.join(cwd, file)) ? repo.read(file) : '';
    repo.write(file, old + numbered(path.basename(file), n, old.split('\n').length));
    gitOk(cwd, ['add', file]);
    gitOk(cwd, [...noHooks, 'commit', '-q', '-F', '-'], { input: message });
    return head();
  };
  const blame = async (file: string): Promise<{ lines: Blame[]; stderr: string }> => {
    const r = await repo.cli(['blame', '--json', file]);
    assert.equal(r.code, 0, r.stderr);
    return { lines: JSON.parse(r.stdout) as Blame[], stderr: r.stderr };
  };
  const stats = async (range: string): Promise<StatsJson> => {
    const r = await repo.cli(['stats', range, '--json']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as StatsJson;
  };

  beforeEach(async () => {
    repo = TempRepo.create();
    cwd = repo.root;
    const r = await repo.cli(['install']);
    assert.equal(r.code, 0, r.stderr);
    repo.write('README.md', 'start\n');
    gitOk(cwd, ['add', '-A']);
    gitOk(cwd, [...noHooks, 'commit', '-q', '-m', 'start']);
  });
  afterEach(() => repo.dispose());

  it('git am of a format-patch with Assisted-by: blame, stats and show name the trailer, lines unknown with the tool', async () => {
    const base = head();
    const made = commitLines('src/am.ts', 3, 'Add am.ts\n\nWritten with an agent elsewhere.\n\nAssisted-by: Claude Code:claude-opus-4-5\nSigned-off-by: Test User <test@example.com>\n');
    const outDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-patch-')));
    try {
      const patch = gitOk(cwd, ['format-patch', '-1', made, '-o', outDir]).trim();
      gitOk(cwd, [...noHooks, 'reset', '-q', '--hard', base]);
      // As a maintainer applies it: our hooks installed, `git am` runs none that writes notes.
      gitOk(cwd, ['am', '-q', patch]);
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
    const applied = head();
    assert.notEqual(applied, base, 'git am applied the patch');
    assert.equal(made.length, 40);
    assert.equal(noteOf(cwd, applied), undefined, 'git am wrote no note');

    const b = await blame('src/am.ts');
    assert.deepEqual(
      b.lines.map((l) => [l.kind, l.tool, l.model, l.commit, l.evidence]),
      Array.from({ length: 3 }, () => ['unknown', 'Claude Code', 'claude-opus-4-5', applied, 'commit-level: Assisted-by: Claude Code:claude-opus-4-5']),
    );
    assert.match(b.stderr, new RegExp(`${applied.slice(0, 8)} has no note, but its message says AI helped \\(commit-level: Assisted-by: Claude Code:claude-opus-4-5\\): its 3 lines here show as unknown`));
    const text = await repo.cli(['blame', 'src/am.ts']);
    assert.match(text.stdout, /^1 unknown Claude Code/m);

    const s = await stats(`${base}..HEAD`);
    assert.deepEqual(s.total, { added: 3, ai: 0, mixed: 0, unknown: 3 });
    assert.deepEqual(s.commitLevel, [{ commit: applied, evidence: 'Assisted-by: Claude Code:claude-opus-4-5', added: 3 }]);
    const st = await repo.cli(['stats', `${base}..HEAD`]);
    assert.match(st.stdout, new RegExp(`${applied.slice(0, 8)}  3 lines  commit-level: Assisted-by: Claude Code:claude-opus-4-5`));

    const show = await repo.cli(['show', 'HEAD']);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /Its message says AI helped \(commit-level: Assisted-by: Claude Code:claude-opus-4-5\)/);
  });

  it("an agent's Co-authored-by with its address: unknown lines of that agent, the co-author line named", async () => {
    const c = commitLines('src/co.ts', 2, 'Add co.ts\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n');
    const b = await blame('src/co.ts');
    assert.deepEqual(
      b.lines.map((l) => [l.kind, l.tool, l.commit, l.evidence]),
      [
        ['unknown', 'Claude Code', c, 'commit-level: Co-Authored-By: Claude <noreply@anthropic.com>'],
        ['unknown', 'Claude Code', c, 'commit-level: Co-Authored-By: Claude <noreply@anthropic.com>'],
      ],
    );
    assert.deepEqual((await stats('HEAD~1..HEAD')).commitLevel, [{ commit: c, evidence: 'Co-Authored-By: Claude <noreply@anthropic.com>', added: 2 }]);
  });

  it('our own trailers without their note (notes not fetched): unknown, never none', async () => {
    const c = commitLines('src/own.ts', 2, 'Add own.ts\n\nAI-Lines: 2/2\nAI-Provenance: 0b7f0000-0000-4000-8000-000000000001\n');
    const b = await blame('src/own.ts');
    assert.deepEqual(b.lines.map((l) => [l.kind, l.tool, l.evidence]), [
      ['unknown', 'unknown', 'commit-level: AI-Lines: 2/2'],
      ['unknown', 'unknown', 'commit-level: AI-Lines: 2/2'],
    ]);
    const s = await stats('HEAD~1..HEAD');
    assert.deepEqual([s.total.unknown, s.commitsWithTrailers], [2, 1]);
    assert.deepEqual(s.commitLevel.map((x) => [x.commit, x.evidence]), [[c, 'AI-Lines: 2/2']]);
  });

  it('the same lines in the body, above a paragraph of prose, are not evidence: none, and nothing named', async () => {
    commitLines('src/prose.ts', 2, 'Add prose.ts\n\nAssisted-by: Claude Code:claude-opus-4-5\nCo-authored-by: Claude <noreply@anthropic.com>\nAI-Lines: 2/2\n\nThe lines above were pasted from another commit; no agent wrote this one.\n');
    assert.deepEqual(gitOk(cwd, ['log', '-1', '--format=%(trailers)']).trim(), '', 'git finds no trailer either');
    const b = await blame('src/prose.ts');
    assert.deepEqual(b.lines.map((l) => [l.kind, l.tool, l.evidence]), [
      ['none', null, undefined],
      ['none', null, undefined],
    ]);
    const s = await stats('HEAD~1..HEAD');
    assert.deepEqual([s.total.unknown, s.commitsWithTrailers, s.commitLevel], [0, 0, []]);
  });

  it('a note wins over the message: lines the note does not name stay none', async () => {
    repo.write('src/noted.ts', numbered('noted', 3));
    const r = await repo.cli(['record', '--tool', 'Codex', 'src/noted.ts:1-1']);
    assert.equal(r.code, 0, r.stderr);
    gitOk(cwd, ['add', 'src/noted.ts']);
    gitOk(cwd, ['commit', '-q', '-m', 'Noted', '-m', 'Co-authored-by: Claude <noreply@anthropic.com>']);
    assert.ok(noteOf(cwd, 'HEAD'));
    const b = await blame('src/noted.ts');
    assert.deepEqual(b.lines.map((l) => [l.kind, l.tool, l.evidence]), [
      ['ai', 'Codex', undefined],
      ['none', null, undefined],
      ['none', null, undefined],
    ]);
  });

  describe('AI-Critical-Override and the tamper check read the trailer block only', () => {
    const critical = async (): Promise<void> => {
      const policy = { critical: [{ paths: ['src/payments/**'], reason: 'payments code moves money', friction: 'review' }] };
      repo.write('.ai-provenance.json', JSON.stringify(policy) + '\n');
      gitOk(cwd, ['add', '-A']);
      gitOk(cwd, [...noHooks, 'commit', '-q', '-m', 'policy']);
      repo.write('src/payments/charge.ts', numbered('charge', 4));
      const r = await repo.cli(['record', '--tool', 'Claude Code', 'src/payments/charge.ts:1-4']);
      assert.equal(r.code, 0, r.stderr);
      gitOk(cwd, ['add', '-A']);
    };

    it('an override in the body is refused at commit, with one line saying why; in the trailer block it is taken', async () => {
      await critical();
      const before = head();
      const refused = gitRun(cwd, ['commit', '-q', '-F', '-'], { input: 'Charge\n\nAI-Critical-Override: hotfix for the outage\n\nMore words about the change.\n' });
      assert.notEqual(refused.code, 0, 'the commit went in');
      assert.equal(head(), before);
      const first = refused.stderr.split('\n').find((l) => l.startsWith('ai-provenance:'))!;
      assert.match(first, /commit refused: .*need review.*an AI-Critical-Override line in the body is not a trailer: put it in the last paragraph/);
      assert.match(refused.stderr, /not counted: "AI-Critical-Override: hotfix for the outage" stands in the body/);
      const ok = gitRun(cwd, ['commit', '-q', '-F', '-'], { input: 'Charge\n\nMore words about the change.\n\nAI-Critical-Override: hotfix for the outage\n' });
      assert.equal(ok.code, 0, ok.stderr);
    });

    it('check: an override in the body of a commit made with --no-verify is a violation', async () => {
      await critical();
      gitOk(cwd, ['commit', '-q', '--no-verify', '-F', '-'], { input: 'Charge\n\nAI-Critical-Override: hotfix\n\nMore words.\n' });
      const r = await repo.cli(['check', 'HEAD~1..HEAD', '--format', 'json']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const out = JSON.parse(r.stdout) as { violations: Array<{ kind: string; message: string }> };
      assert.deepEqual(out.violations.map((v) => v.kind), ['critical']);
      assert.match(out.violations[0]!.message, /an AI-Critical-Override line in the body is not a trailer/);
    });

    it('check: trailers moved into the body while the note stays are tampering', async () => {
      await critical();
      gitOk(cwd, ['commit', '-q', '-m', 'Charge', '-m', 'Reviewed-by: Other Person <o@x>']);
      const message = gitOk(cwd, ['log', '-1', '--format=%B']);
      assert.match(message, /^Assisted-by: Claude Code:unknown$/m);
      assert.equal((await repo.cli(['check', 'HEAD~1..HEAD'])).code, 0, 'clean before the edit');
      // The whole trailer block pushed up into the body by a paragraph of prose below it.
      gitOk(cwd, [...noHooks, 'commit', '-q', '--amend', '-F', '-'], { input: message.trimEnd() + '\n\nThat is all.\n' });
      assert.ok(noteOf(cwd, 'HEAD'), 'git copied the note to the amended commit');
      const r = await repo.cli(['check', 'HEAD~1..HEAD', '--format', 'json']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const out = JSON.parse(r.stdout) as { violations: Array<{ kind: string; message: string }> };
      const tampering = out.violations.find((v) => v.kind === 'tampering');
      assert.ok(tampering, r.stdout);
      assert.match(tampering.message, /the message has no Assisted-by: trailer/);
    });
  });
});
