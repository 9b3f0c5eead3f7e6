/**
 * The GitHub Action end to end: `action.yml`'s `runs.main` (the built dist/action.js) run with
 * node in the environment a runner gives it — GITHUB_EVENT_PATH holding a pull_request (or
 * push) event payload, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, INPUT_* — in a full clone of a real
 * bare "origin", with the GitHub API's answers (test/fixtures/github) served from a local HTTP
 * server on 127.0.0.1. The summary holds the table, the exit code follows the policy, and after a
 * squash merge the consolidated note reaches origin.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gitOk, numbered } from '../helpers/gitHooks';
import { serveRecordedApi } from '../helpers/recordedApi';
import type { RecordedApi } from '../helpers/recordedApi';
import { fixedEnv, runProcess, TempRepo } from '../helpers/tempRepo';
import type { ProcessRun } from '../helpers/tempRepo';

const root = path.resolve(__dirname, '..', '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'github');
const noHooks = ['-c', 'core.hooksPath=/dev/null'];

describe('GitHub Action (integration: runner environment, real git, API on 127.0.0.1)', function () {
  this.timeout(240_000);
  let origin: string;
  let dev: TempRepo;
  let work: string;
  let temp: string;
  let server: RecordedApi;
  let api: string;
  const sha: Record<string, string> = {};
  let approved = false;
  const requests: string[] = [];

  const fill = (text: string): string => text.replace(/\{\{API\}\}/g, api).replace(/\{\{(\w+)_SHA\}\}/g, (_, k: string) => sha[k.toLowerCase()] ?? '');
  const fixture = (name: string): string => fill(fs.readFileSync(path.join(fixtures, name), 'utf8'));

  /** Runs the action as the runner does: node on `runs.main`, inputs as INPUT_*. */
  const runAction = async (event: string, eventName: string, inputs: Record<string, string> = {}): Promise<ProcessRun & { summary: string; output: string }> => {
    const yml = fs.readFileSync(path.join(root, 'action.yml'), 'utf8');
    const main = /^\s+main:\s*(\S+)\s*$/m.exec(yml)?.[1];
    assert.equal(/^\s+using:\s*(node\d+)\s*$/m.exec(yml)?.[1], 'node24');
    assert.ok(main);
    const eventPath = path.join(temp, `${eventName}.json`);
    fs.writeFileSync(eventPath, fixture(event));
    const summary = path.join(temp, `summary-${Date.now()}.md`);
    const output = path.join(temp, `output-${Date.now()}.txt`);
    fs.writeFileSync(summary, '');
    fs.writeFileSync(output, '');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...fixedEnv,
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_API_URL: api,
      GITHUB_WORKSPACE: work,
      RUNNER_TEMP: temp,
      // action.yml's defaults, as the runner fills them in.
      INPUT_TOKEN: 'ghs_test-token',
      'INPUT_API-URL': '',
      INPUT_REMOTE: 'origin',
      'INPUT_FAIL-ON-VIOLATION': 'true',
      INPUT_CONSOLIDATE: 'true',
      'INPUT_SARIF-FILE': '',
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    };
    const r = await runProcess(process.execPath, [path.join(root, main)], { cwd: work, env });
    return { ...r, summary: fs.readFileSync(summary, 'utf8'), output: fs.readFileSync(output, 'utf8') };
  };

  before(async () => {
    temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-action-')));
    origin = path.join(temp, 'origin.git');
    gitOk(temp, ['init', '-q', '--bare', '-b', 'main', origin]);
    server = await serveRecordedApi({
      credential: (req) => req.headers.authorization ?? '',
      accepts: 'Bearer ghs_test-token',
      unauthorized: '{"message":"Bad credentials"}',
      notFound: '{"message":"Not Found"}',
      log: requests,
      route: (url) => {
        if (url.pathname === '/repos/acme/shop/pulls/7/reviews') {
          if (url.searchParams.get('page') === '2') return { body: approved ? fixture('reviews.page2.approved.json') : JSON.stringify((JSON.parse(fixture('reviews.page2.approved.json')) as unknown[]).slice(0, 1)) };
          const next = `${url.origin}/repos/acme/shop/pulls/7/reviews?per_page=100&page=2`;
          return { body: fixture('reviews.page1.json'), headers: { link: `<${next}>; rel="next", <${next}>; rel="last"` } };
        }
        if (url.pathname === `/repos/acme/shop/commits/${sha.merge}/pulls`) return { body: fixture('commit-pulls.merged.json') };
        return undefined;
      },
    });
    api = server.url;

    // A developer's clone with our hooks: the policy on main, then a pull request branch.
    dev = TempRepo.create();
    const r = await dev.cli(['install']);
    assert.equal(r.code, 0, r.stderr);
    gitOk(dev.root, ['remote', 'add', 'origin', origin]);
    dev.write('.ai-provenance.json', JSON.stringify({ critical: [{ paths: ['src/payments/**'], reason: 'payments code moves money', friction: 'review' }] }, null, 2) + '\n');
    dev.write('README.md', 'shop\n');
    gitOk(dev.root, ['add', '-A']);
    gitOk(dev.root, [...noHooks, 'commit', '-q', '-m', 'Policy']);
    sha.base = gitOk(dev.root, ['rev-parse', 'HEAD']).trim();
    gitOk(dev.root, ['push', '-q', 'origin', 'main']);
    gitOk(dev.root, ['checkout', '-q', '-b', 'currency']);
    dev.write('src/payments/charge.ts', numbered('ai currency', 10));
    const rec = await dev.cli(['record', '--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', 'src/payments/charge.ts:1-10']);
    assert.equal(rec.code, 0, rec.stderr);
    gitOk(dev.root, ['add', '-A']);
    gitOk(dev.root, ['commit', '-q', '--no-verify', '-m', 'Charge in the customer currency']);
    dev.write('docs/currency.md', numbered('notes', 4));
    gitOk(dev.root, ['add', '-A']);
    gitOk(dev.root, ['commit', '-q', '-m', 'Document currencies']);
    sha.head = gitOk(dev.root, ['rev-parse', 'HEAD']).trim();
    // GitHub keeps a pull request's head at refs/pull/<n>/head.
    gitOk(dev.root, ['push', '-q', 'origin', 'currency', 'currency:refs/pull/7/head', 'refs/notes/ai-provenance']);
    // The runner's checkout: a full clone (actions/checkout with fetch-depth: 0).
    work = path.join(temp, 'work');
    gitOk(temp, ['clone', '-q', origin, work]);
    gitOk(work, ['fetch', '-q', 'origin', '+refs/heads/*:refs/remotes/origin/*']);
  });
  after(async () => {
    await server.close();
    dev.dispose();
    fs.rmSync(temp, { recursive: true, force: true });
  });

  it('must-show: a pull request without a qualifying approval fails, with the table in the job summary and annotations', async () => {
    approved = false;
    const r = await runAction('pull_request.opened.json', 'pull_request');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.summary, /^## AI provenance: ❌ policy not met$/m);
    assert.match(r.summary, /^\| payments code moves money \(`src\/payments\/\*\*`\) \| review \| 10 \| — \(no budget set\) \| 1 from anyone but the author \| none; not counted: @copilot-pull-request-reviewer\[bot\] \(approval by @copilot-pull-request-reviewer\[bot\] is a \[bot\] account; only a human review counts\) \| ❌ needs review \|$/m);
    assert.match(r.summary, /^\| `src\/payments\/charge\.ts` \| 10 \| `[0-9a-f]{12}`: 1-10 \| payments code moves money \| ❌ needs review \|$/m);
    assert.match(r.stdout, /^::error file=src\/payments\/charge\.ts,line=1,endLine=10,title=AI-written critical change without review::/m);
    assert.match(r.output, /^passed=false$/m);
    assert.match(r.output, /^violations=1$/m);
    assert.match(r.output, /^commits=2$/m);
    // The author's comment and a bot's approval are not reviews; the reviews came from both pages, with the job's token.
    assert.ok(requests.some((q) => q.startsWith('GET /repos/acme/shop/pulls/7/reviews?per_page=100 Bearer ghs_test-token')));
    assert.ok(requests.some((q) => q.includes('page=2')));
  });

  it('must-show: the same pull request approved by a reviewer passes, the approval shown as the review given', async () => {
    approved = true;
    const r = await runAction('pull_request.opened.json', 'pull_request', { 'sarif-file': 'ai-provenance.sarif' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.summary, /^## AI provenance: ✅ policy met$/m);
    assert.match(r.summary, /\| 1 from anyone but the author \| @rita-reviewer; not counted: @copilot-pull-request-reviewer\[bot\] \(.*\) \| ✅ reviewed \|$/m);
    assert.match(r.output, /^passed=true$/m);
    assert.doesNotMatch(r.stdout, /^::error/m);
    const reviewsFile = /^reviews-file=(.+)$/m.exec(r.output)?.[1];
    assert.ok(reviewsFile);
    assert.deepEqual((JSON.parse(fs.readFileSync(reviewsFile, 'utf8')) as Array<{ login: string }>).map((x) => x.login), ['copilot-pull-request-reviewer[bot]', 'rita-reviewer', 'rita-reviewer']);
    const sarif = JSON.parse(fs.readFileSync(path.join(work, 'ai-provenance.sarif'), 'utf8')) as { version: string; runs: Array<{ results: unknown[] }> };
    assert.equal(sarif.version, '2.1.0');
    assert.deepEqual(sarif.runs[0]!.results, []);
  });

  it('must-show: after a squash merge (push to main) it writes the consolidated note and pushes it to origin', async () => {
    approved = true;
    // The forge squashes the pull request onto main: a new commit, no note.
    gitOk(dev.root, [...noHooks, 'checkout', '-q', 'main']);
    gitOk(dev.root, [...noHooks, 'merge', '-q', '--squash', 'currency']);
    gitOk(dev.root, [...noHooks, 'commit', '-q', '-m', "Charge cards in the customer's currency (#7)"]);
    sha.before = sha.base!;
    sha.merge = gitOk(dev.root, ['rev-parse', 'HEAD']).trim();
    gitOk(dev.root, [...noHooks, 'push', '-q', '--no-verify', 'origin', 'main']);
    // The runner checks out the pushed commit.
    gitOk(work, ['fetch', '-q', 'origin', '+refs/heads/*:refs/remotes/origin/*']);
    gitOk(work, [...noHooks, 'checkout', '-q', '--detach', sha.merge]);

    const r = await runAction('push.squash-merge.json', 'push');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.output, /^consolidated=#7$/m);
    assert.match(r.stdout, new RegExp(`^${sha.merge.slice(0, 12)} \\(squash, from ${sha.head!.slice(0, 12)}\\): wrote a note of 1 file$`, 'm'));
    // On origin now: blame of the squash commit there says what the branch said.
    const blame = await runProcess(process.execPath, [path.join(root, 'dist', 'cli.js'), 'blame', '--json', '--rev', sha.merge, 'src/payments/charge.ts'], { cwd: origin, env: { ...process.env, ...fixedEnv } });
    assert.equal(blame.code, 0, blame.stderr);
    const lines = JSON.parse(blame.stdout) as Array<{ kind: string; tool: string | null; commit: string }>;
    assert.deepEqual(lines.map((l) => `${l.kind}:${l.tool ?? ''}`), Array.from({ length: 10 }, () => 'ai:Claude Code'));
    assert.ok(lines.every((l) => l.commit === sha.merge));
    // The merge commit was judged with its pull request's approval.
    assert.match(r.summary, /✅ policy met/);
  });
});
