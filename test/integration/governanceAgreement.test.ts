/**
 * One verdict everywhere: for random policies (review counts from groups, budgets, over-budget
 * friction, forbidden overrides, tiers), random commits of AI lines and random reviewer sets
 * (the author, a bot, an AI, one person under two spellings, seniors, outsiders, overrides),
 * the editor's preview (src/core/policy/preview.ts, as the editor calls it), the `commit-msg`
 * hook (the built CLI installed as a real hook) and `git provenance check` on that commit
 * agree on every commit: refused, or not. A commit the hook refuses is then made with
 * `--no-verify`, so that `check` sees it too. Seeded: a failure names its seed and case.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Policy } from '../../src/core/policy/policy';
import { previewGovernance } from '../../src/core/policy/preview';
import { parsePolicy } from '../../src/core/policy/schema';
import { gitOk, gitRun, numbered } from '../helpers/gitHooks';
import { prng } from '../helpers/prng';
import { TempRepo } from '../helpers/tempRepo';

const author = 'Test User <test@example.com>';
const people = [
  author,
  'dependabot[bot] <support@github.com>',
  'Claude <noreply@anthropic.com>',
  'Alice <alice@example.com>',
  'alice <ALICE@example.com>',
  'Bob <bob@example.com> (@bob)',
  'Carol <carol@example.com>',
  'Dave <dave@example.com>',
  'Robot <robot@example.com> (@robot)',
];
const members = ['Alice <alice@example.com>', '@bob', 'carol@example.com'];

describe('governance: editor, hook and check agree (randomized, integration)', function () {
  this.timeout(600_000);
  const seed = Number(process.env.AIP_AGREEMENT_SEED ?? 1312);
  const rounds = 4;
  const commitsPerRound = 4;
  let repo: TempRepo;
  let cwd: string;

  before(async () => {
    repo = TempRepo.create();
    cwd = repo.root;
    const r = await repo.cli(['install']);
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => repo.dispose());

  it(`agrees on ${rounds * commitsPerRound} random commits (seed ${seed})`, async () => {
    const rnd = prng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const int = (a: number, b: number): number => a + Math.floor(rnd() * (b - a + 1));
    let file = 0;
    const disagreements: string[] = [];
    const outcomes = { refused: 0, passed: 0 };
    for (let round = 0; round < rounds; round++) {
      const group = members.filter(() => rnd() < 0.7);
      const rule: Record<string, unknown> = { paths: ['src/p/**'], reason: 'moves money', friction: pick(['warn', 'review', 'review', 'block']) };
      if (rnd() < 0.7) rule.reviews = { count: int(1, 2), from: rnd() < 0.6 ? ['seniors'] : [] };
      if (rnd() < 0.7) rule.maxAiLines = int(5, 25);
      if (rnd() < 0.6) rule.overBudget = pick(['review', 'block', { reviews: { count: 1, from: ['seniors'] } }]);
      if (rnd() < 0.5) rule.tier = 'tier-1';
      if (rnd() < 0.4) rule.allowOverride = false;
      const doc = { groups: { seniors: group }, bots: ['@robot'], critical: [rule] };
      const parsed = parsePolicy(JSON.stringify(doc));
      assert.ok(parsed.ok, JSON.stringify(doc));
      const policy: Policy = parsed.policy;
      repo.write('.ai-provenance.json', JSON.stringify(doc, null, 2) + '\n');
      gitOk(cwd, ['add', '-A']);
      gitOk(cwd, ['-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', `policy ${round}`]);

      for (let c = 0; c < commitsPerRound; c++) {
        const rel = `src/p/f${file++}.ts`;
        const n = int(1, 30);
        repo.write(rel, numbered('ai', n));
        const rec = await repo.cli(['record', '--tool', 'Claude Code', '--model', 'm', `${rel}:1-${n}`]);
        assert.equal(rec.code, 0, rec.stderr);
        gitOk(cwd, ['add', '-A']);
        const reviewers = people.filter(() => rnd() < 0.3);
        const trailers = [...reviewers.map((p) => `Reviewed-by: ${p}`), ...(rnd() < 0.25 ? ['AI-Critical-Override: incident 7'] : [])];
        const message = `Change ${round}.${c}${trailers.length > 0 ? `\n\n${trailers.join('\n')}` : ''}\n`;
        const what = `seed ${seed} round ${round} commit ${c}: policy ${JSON.stringify(doc)}, ${n} AI lines, trailers ${JSON.stringify(trailers)}`;

        const editor = previewGovernance(policy, [{ path: rel, lines: Array.from({ length: n }, (_, i) => i + 1) }], rel, message, author);
        const editorRefuses = editor?.refused ?? false;

        const msgFile = path.join(cwd, '.git', 'MSG');
        fs.writeFileSync(msgFile, message);
        const hook = gitRun(cwd, ['commit', '-F', msgFile]);
        const hookRefuses = hook.code !== 0;
        if (hookRefuses) gitOk(cwd, ['commit', '-q', '--no-verify', '-F', msgFile]);
        const check = await repo.cli(['check', '--format', 'json', 'HEAD^..HEAD']);
        const checkRefuses = (JSON.parse(check.stdout) as { violations: unknown[] }).violations.length > 0;
        outcomes[hookRefuses ? 'refused' : 'passed']++;
        if (hookRefuses !== checkRefuses || editorRefuses !== hookRefuses) {
          disagreements.push(`${what}: editor ${String(editorRefuses)}, hook ${String(hookRefuses)} (${hook.stderr.split('\n')[0]}), check ${String(checkRefuses)} (${check.stdout.slice(0, 400)})`);
        }
      }
    }
    assert.deepEqual(disagreements, []);
    // A sample that only passes (or only refuses) would prove little.
    assert.ok(outcomes.refused > 0 && outcomes.passed > 0, JSON.stringify(outcomes));
  });
});
