/**
 * The GitLab CI template end to end: each job of `ci/ai-provenance.gitlab-ci.yml` (after
 * `extends`, with its `rules` evaluated) run the way GitLab Runner's bash shell runs a job, in a
 * full clone of a real bare "origin", with the predefined variables GitLab sets for a merge
 * request pipeline or a push pipeline, and the GitLab REST API's answers
 * (test/fixtures/gitlab) served from a local HTTP server on 127.0.0.1. The job's exit code
 * follows the policy, the artifacts hold the table, the SARIF and the approvals, and after a
 * squash merge the consolidated note reaches origin over the URL the template rewrites.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { gitOk, numbered } from '../helpers/gitHooks';
import { serveRecordedApi } from '../helpers/recordedApi';
import type { RecordedApi } from '../helpers/recordedApi';
import { sarifErrors } from '../helpers/sarifSchema';
import { cliPath, fixedEnv, runProcess, TempRepo } from '../helpers/tempRepo';
import type { ProcessRun } from '../helpers/tempRepo';

const root = path.resolve(__dirname, '..', '..', '..');
const templatePath = path.join(root, 'ci', 'ai-provenance.gitlab-ci.yml');
const fixtures = path.join(root, 'test', 'fixtures', 'gitlab');
const noHooks = ['-c', 'core.hooksPath=/dev/null'];
// A self-managed instance on a port of its own: the URLs the jobs use must keep it.
const serverHost = 'gitlab.test';
const serverUrl = `https://${serverHost}:8443`;
const projectPath = 'acme/shop';
const projectId = '42';
const token = 'glpat-test-token';
const jobToken = 'glcbt-test-job-token';
const zeroSha = '0'.repeat(40);

/** What the tests read of a job of the template (GitLab's CI/CD YAML keywords). */
interface GitlabJob {
  readonly extends?: string | readonly string[];
  readonly image?: string;
  readonly variables?: Readonly<Record<string, string>>;
  readonly before_script?: readonly string[];
  readonly script?: readonly string[];
  readonly rules?: ReadonlyArray<{ readonly if?: string }>;
  readonly artifacts?: { readonly when?: string; readonly paths?: readonly string[] };
}

type Yaml = Record<string, unknown>;

const isMap = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);

/** GitLab's `extends` merge: maps merge key by key, deeply; anything else (lists, strings) the job's own value replaces. */
function mergeExtends(base: Yaml, own: Yaml): Yaml {
  const out: Yaml = { ...base };
  for (const [k, v] of Object.entries(own)) out[k] = isMap(v) && isMap(out[k]) ? mergeExtends(out[k], v) : v;
  return out;
}

/** A job with its `extends` chain resolved (hidden `.jobs` first, in order, then the job's own keys). */
function resolveJob(doc: Yaml, name: string, seen: readonly string[] = []): GitlabJob {
  assert.ok(!seen.includes(name), `extends loop through ${name}`);
  const job = doc[name];
  assert.ok(isMap(job), `no job ${name} in the template`);
  const parents = job.extends === undefined ? [] : typeof job.extends === 'string' ? [job.extends] : (job.extends as string[]);
  let merged: Yaml = {};
  for (const p of parents) merged = mergeExtends(merged, resolveJob(doc, p, [...seen, name]) as Yaml);
  const { extends: _extends, ...own } = job;
  return mergeExtends(merged, own);
}

/**
 * A `rules: if:` expression, in the subset the template uses: clauses `$VAR == "text"`,
 * `$VAR != "text"` and `$VAR == $OTHER` joined by `&&`. An unset variable is null, as in
 * GitLab (so `$UNSET == $SET` is false). Anything else fails the test rather than guess.
 */
function ruleMatches(expr: string, vars: Readonly<Record<string, string>>): boolean {
  return expr.split('&&').every((clause) => {
    const m = /^\s*\$(\w+)\s*(==|!=)\s*(?:"([^"]*)"|\$(\w+))\s*$/.exec(clause);
    assert.ok(m, `rules expression outside what this test evaluates: ${clause}`);
    const left = vars[m[1]!] ?? null;
    const right = m[3] ?? (vars[m[4]!] ?? null);
    return m[2] === '==' ? left === right : left !== right;
  });
}

/** Quotes a string for bash, between single quotes. */
const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

describe('GitLab CI template (integration: runner shell, real git, API on 127.0.0.1)', function () {
  this.timeout(240_000);
  let temp: string;
  let origin: string;
  let home: string;
  let work: string;
  let dev: TempRepo;
  let server: RecordedApi;
  let api: string;
  let doc: Yaml;
  const sha: Record<string, string> = {};
  /** The approvals the API answers with (a file of test/fixtures/gitlab), and the MR's state. */
  let approvals = 'approvals.author-and-sam.json';
  let mrState: 'opened' | 'merged' = 'opened';
  const requests: string[] = [];

  const fixture = (name: string): string =>
    fs.readFileSync(path.join(fixtures, name), 'utf8')
      .replace(/\{\{STATE\}\}/g, mrState)
      .replace(/\{\{(\w+)_SHA\}\}/g, (_, k: string) => sha[k.toLowerCase()] ?? '');

  /**
   * Runs one job of the template as GitLab Runner's bash shell does (shells/bash.go of
   * gitlab-runner): the job's `before_script` and `script` entries, in order, make ONE script —
   * one shell session, so a function or `set --` of an earlier line is there for the later ones
   * and a multi-line entry runs as the block it is — which the runner feeds to bash after
   * `set -o pipefail`, `set -o errexit` and `set +o noclobber`, through `: | eval '…'` (the
   * commands read an empty stdin). So the first failing command fails the job (bash exits 1
   * for an errexit inside that eval, whatever the command's own code). Each entry is echoed first as `$ <first line>`, as the job log shows it. Variables:
   * the template's global `variables`, the job's `variables`, then the predefined and project
   * variables given here, which take precedence over the YAML ones as in GitLab. The job's
   * working directory is the clone (`CI_PROJECT_DIR`), HOME an empty directory.
   */
  const runJob = async (name: string, vars: Record<string, string>): Promise<ProcessRun> => {
    const job = resolveJob(doc, name);
    assert.equal(job.image, 'node:24');
    const lines = [...(job.before_script ?? []), ...(job.script ?? [])];
    assert.ok(lines.length > 0, `${name} has no script`);
    const body = lines.map((l) => `echo ${shellQuote(`$ ${l.split('\n')[0]!}`)}\n${l}`).join('\n');
    const script = ['set -o pipefail', 'set -o errexit', 'set +o noclobber', `: | eval ${shellQuote(body)}`, 'exit 0', ''].join('\n');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      // No route to gitlab.test here: git reaches "the server" through url.<base>.insteadOf,
      // which rewrites the runner's clone URL and the URL the after-merge job sets (with its
      // oauth2 token) onto the local directory that holds origin — and nothing else.
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: `url.${path.dirname(path.dirname(origin))}/.insteadOf`,
      GIT_CONFIG_VALUE_0: `https://oauth2:${token}@${serverHost}:8443/`,
      GIT_CONFIG_KEY_1: `url.${path.dirname(path.dirname(origin))}/.insteadOf`,
      GIT_CONFIG_VALUE_1: `https://gitlab-ci-token:${jobToken}@${serverHost}:8443/`,
      ...(isMap(doc.variables) ? (doc.variables as Record<string, string>) : {}),
      ...(job.variables ?? {}),
      CI: 'true',
      GITLAB_CI: 'true',
      CI_PROJECT_DIR: work,
      CI_SERVER_HOST: serverHost,
      CI_SERVER_PORT: '8443',
      CI_SERVER_PROTOCOL: 'https',
      CI_SERVER_URL: serverUrl,
      CI_PROJECT_URL: `${serverUrl}/${projectPath}`,
      CI_REPOSITORY_URL: `https://gitlab-ci-token:${jobToken}@${serverHost}:8443/${projectPath}.git`,
      CI_API_V4_URL: `${api}/api/v4`,
      CI_PROJECT_ID: projectId,
      CI_PROJECT_PATH: projectPath,
      CI_DEFAULT_BRANCH: 'main',
      AI_PROVENANCE_TOKEN: token,
      AI_PROVENANCE_CLI: `node ${cliPath}`,
      ...vars,
    };
    // The job runs only when its rules say so for this pipeline; the other job must not.
    const when = (j: string): boolean => (resolveJob(doc, j).rules ?? []).some((r) => r.if !== undefined && ruleMatches(r.if, env as Record<string, string>));
    assert.ok(when(name), `${name}'s rules do not select it for this pipeline`);
    for (const other of Object.keys(doc).filter((k) => !k.startsWith('.') && k !== name && isMap(doc[k]) && 'script' in (doc[k]))) {
      assert.ok(!when(other), `${other} would run in this pipeline too`);
    }
    return runProcess('bash', [], { cwd: work, env, input: script });
  };

  /** The variables GitLab sets in a merge request pipeline of MR !7 (not a merged-results pipeline). */
  const mrPipeline = (): Record<string, string> => ({
    CI_PIPELINE_SOURCE: 'merge_request_event',
    CI_MERGE_REQUEST_IID: '7',
    CI_MERGE_REQUEST_DIFF_BASE_SHA: sha.base!,
    CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main',
    CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'currency',
    CI_COMMIT_SHA: sha.head!,
    CI_COMMIT_BEFORE_SHA: zeroSha,
    CI_COMMIT_REF_NAME: 'currency',
  });

  /** A fresh runner checkout of `rev`: the runner clones (here: fetches into a fresh clone) and checks out the commit, detached. */
  const checkout = (rev: string, extraRefspecs: string[] = []): void => {
    fs.rmSync(work, { recursive: true, force: true });
    gitOk(temp, ['clone', '-q', '--no-checkout', origin, work]);
    // The runner's origin is the project's HTTPS URL with the job token.
    gitOk(work, ['remote', 'set-url', 'origin', `https://gitlab-ci-token:${jobToken}@${serverHost}:8443/${projectPath}.git`]);
    gitOk(work, ['fetch', '-q', 'origin', '+refs/heads/*:refs/remotes/origin/*', ...extraRefspecs], { env: gitlabGitEnv() });
    gitOk(work, [...noHooks, 'checkout', '-q', '--detach', rev]);
  };
  const gitlabGitEnv = (): NodeJS.ProcessEnv => ({
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: `url.${path.dirname(path.dirname(origin))}/.insteadOf`,
    GIT_CONFIG_VALUE_0: `https://gitlab-ci-token:${jobToken}@${serverHost}:8443/`,
  });

  const artifact = (name: string): string => fs.readFileSync(path.join(work, name), 'utf8');

  before(async () => {
    temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aip-gitlab-')));
    // origin lives where the project path says: <server root>/acme/shop.git.
    origin = path.join(temp, 'server', 'acme', 'shop.git');
    fs.mkdirSync(path.dirname(origin), { recursive: true });
    gitOk(temp, ['init', '-q', '--bare', '-b', 'main', origin]);
    home = path.join(temp, 'home');
    fs.mkdirSync(home);
    work = path.join(temp, 'builds', 'acme', 'shop');
    doc = load(fs.readFileSync(templatePath, 'utf8')) as Yaml;
    assert.ok(isMap(doc));

    server = await serveRecordedApi({
      credential: (req) => String(req.headers['private-token'] ?? ''),
      accepts: token,
      unauthorized: fixture('unauthorized.json'),
      notFound: '{"message":"404 Not found"}',
      log: requests,
      route: (url, method) => {
        const routes: Record<string, () => string> = {
          [`/api/v4/projects/${projectId}/merge_requests/7`]: () => fixture(`merge_request.${mrState}.json`),
          [`/api/v4/projects/${projectId}/merge_requests/7/approvals`]: () => fixture(approvals),
          [`/api/v4/projects/${projectId}/repository/commits/${sha.merge ?? 'none'}/merge_requests`]: () => fixture('commit_merge_requests.merged.json'),
        };
        const route = method === 'GET' ? routes[url.pathname] : undefined;
        return route ? { body: route() } : undefined;
      },
    });
    api = server.url;

    // A developer's clone with our git hooks: the policy on main, then MR !7's three commits.
    dev = TempRepo.create();
    const r = await dev.cli(['install']);
    assert.equal(r.code, 0, r.stderr);
    gitOk(dev.root, ['remote', 'add', 'origin', origin]);
    dev.write('.ai-provenance.json', JSON.stringify({
      groups: { 'payments-seniors': ['@ann', '@rita'] },
      critical: [{ paths: ['src/payments/**'], reason: 'payments code moves money', reviews: { count: 1, from: ['payments-seniors'] } }],
    }, null, 2) + '\n');
    dev.write('README.md', 'shop\n');
    dev.write('src/payments/charge.ts', numbered('charge', 4));
    gitOk(dev.root, ['add', '-A']);
    gitOk(dev.root, [...noHooks, 'commit', '-q', '-m', 'Policy']);
    sha.base = gitOk(dev.root, ['rev-parse', 'HEAD']).trim();
    gitOk(dev.root, [...noHooks, 'push', '-q', 'origin', 'main']);
    gitOk(dev.root, ['checkout', '-q', '-b', 'currency']);
    // 1: an agent writes the conversion into the critical path.
    dev.write('src/payments/charge.ts', numbered('charge', 4) + numbered('ai convert', 6));
    await dev.record('--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', 'src/payments/charge.ts:5-10');
    gitOk(dev.root, ['add', '-A']);
    gitOk(dev.root, ['commit', '-q', '--no-verify', '-m', 'Convert amounts before charging']);
    // 2: another tool writes the rates table, outside the critical path.
    dev.write('src/rates.ts', numbered('ai rate', 3));
    await dev.record('--tool', 'copilot', '--model', 'gpt-5', 'src/rates.ts:1-3');
    gitOk(dev.root, ['add', '-A']);
    gitOk(dev.root, ['commit', '-q', '--no-verify', '-m', 'Add the rates table']);
    // 3: a person documents it.
    dev.write('docs/currency.md', numbered('notes', 2));
    gitOk(dev.root, ['add', '-A']);
    gitOk(dev.root, ['commit', '-q', '-m', 'Document currencies']);
    sha.head = gitOk(dev.root, ['rev-parse', 'HEAD']).trim();
    // GitLab keeps a merge request's head at refs/merge-requests/<iid>/head.
    gitOk(dev.root, [...noHooks, 'push', '-q', '--no-verify', 'origin', 'currency', 'currency:refs/merge-requests/7/head', 'refs/notes/ai-provenance']);
  });
  after(async () => {
    await server.close();
    dev.dispose();
    fs.rmSync(temp, { recursive: true, force: true });
  });

  it('parses as GitLab CI YAML: two jobs that extend the hidden base job, on node:24, keeping their artifacts', () => {
    const check = resolveJob(doc, 'ai-provenance-check');
    const afterMerge = resolveJob(doc, 'ai-provenance-after-merge');
    for (const job of [check, afterMerge]) {
      assert.equal(job.image, 'node:24');
      assert.equal(job.variables?.GIT_DEPTH, '0');
      assert.ok((job.before_script ?? []).some((l) => l.includes('refs/notes/ai-provenance')));
    }
    assert.deepEqual(check.artifacts, { when: 'always', paths: ['ai-provenance.md', 'ai-provenance.sarif', 'ai-provenance-reviews.json'] });
  });

  it('merge request pipeline: an AI commit in a critical path without a qualifying approval fails the job, with the table, the SARIF and the approvals minus the author', async () => {
    approvals = 'approvals.author-and-sam.json';
    mrState = 'opened';
    requests.length = 0;
    checkout(sha.head!);
    const r = await runJob('ai-provenance-check', mrPipeline());
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const md = artifact('ai-provenance.md');
    assert.match(md, /^## AI provenance: ❌ policy not met$/m);
    assert.match(md, /^\| payments code moves money \(`src\/payments\/\*\*`\) \| review \| 6 \| — \(no budget set\) \| 1 from payments-seniors \| none; not counted: @sam \(.*\) \| ❌ needs review \|$/m);
    assert.match(md, /^\| `src\/payments\/charge\.ts` \| 6 \| `[0-9a-f]{12}`: 5-10 \| payments code moves money \| ❌ needs review \|$/m);
    const sarif = JSON.parse(artifact('ai-provenance.sarif')) as { version: string; runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; endLine: number } } }> }> }> };
    assert.deepEqual(sarifErrors(sarif), []);
    assert.equal(sarif.version, '2.1.0');
    assert.deepEqual(sarif.runs[0]!.results.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.artifactLocation.uri, x.locations[0]!.physicalLocation.region.startLine, x.locations[0]!.physicalLocation.region.endLine]), [['AIP001', 'src/payments/charge.ts', 5, 10]]);
    // GitLab lists who approved; ann wrote the MR, so only sam is left — and sam is not a payments senior.
    assert.deepEqual(JSON.parse(artifact('ai-provenance-reviews.json')), [{ login: 'sam', state: 'APPROVED' }]);
    // The gate's own verdict, last in the log, names what is missing.
    assert.match(r.stdout + r.stderr, /src\/payments\/charge\.ts/);
    // The approvals came from the API with the token, in the PRIVATE-TOKEN header.
    assert.deepEqual(requests, [`GET /api/v4/projects/${projectId}/merge_requests/7 ${token}`, `GET /api/v4/projects/${projectId}/merge_requests/7/approvals ${token}`]);
  });

  it('merge request pipeline: the same merge request approved by a payments senior passes', async () => {
    approvals = 'approvals.approved.json';
    mrState = 'opened';
    checkout(sha.head!);
    const r = await runJob('ai-provenance-check', mrPipeline());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(artifact('ai-provenance.md'), /^## AI provenance: ✅ policy met$/m);
    assert.match(artifact('ai-provenance.md'), /\| 1 from payments-seniors \| @rita; not counted: @sam \(.*\) \| ✅ reviewed \|$/m);
    assert.deepEqual(JSON.parse(artifact('ai-provenance-reviews.json')), [{ login: 'sam', state: 'APPROVED' }, { login: 'rita', state: 'APPROVED' }]);
    const sarif = JSON.parse(artifact('ai-provenance.sarif')) as { runs: Array<{ results: unknown[] }> };
    assert.deepEqual(sarifErrors(sarif), []);
    assert.deepEqual(sarif.runs[0]!.results, []);
  });

  it("merge request pipeline: the author's own approval does not count, though the policy names the author", async () => {
    approvals = 'approvals.author-only.json';
    mrState = 'opened';
    checkout(sha.head!);
    const r = await runJob('ai-provenance-check', mrPipeline());
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.deepEqual(JSON.parse(artifact('ai-provenance-reviews.json')), []);
    assert.match(artifact('ai-provenance.md'), /\| 1 from payments-seniors \| none \| ❌ needs review \|$/m);
    // It is the template that leaves ann out: her approval, given to check, would have met the policy.
    const asIs = path.join(temp, 'ann-approval.json');
    fs.writeFileSync(asIs, JSON.stringify([{ login: 'ann', state: 'APPROVED' }]));
    const direct = await runProcess(process.execPath, [cliPath, 'check', `${sha.base!}..${sha.head!}`, '--policy-rev', sha.base!, '--reviews', asIs], { cwd: work, env: { ...process.env, ...fixedEnv } });
    assert.equal(direct.code, 0, direct.stdout + direct.stderr);
  });

  it("merged results pipeline: only the merge request's own commits are judged, not the target branch's newer ones GitLab merged them with", async () => {
    approvals = 'approvals.author-and-sam.json';
    mrState = 'opened';
    // main moved on after the merge request branched: an AI commit into the critical path,
    // approved in its own merge request (GitLab approvals, so no trailers).
    gitOk(dev.root, [...noHooks, 'checkout', '-q', '--detach', sha.base!]);
    dev.write('src/payments/fees.ts', numbered('ai fee', 5));
    await dev.record('--tool', 'Claude Code', '--model', 'claude-sonnet-4-5', 'src/payments/fees.ts:1-5');
    gitOk(dev.root, ['add', '-A']);
    gitOk(dev.root, ['commit', '-q', '--no-verify', '-m', 'Charge a fee']);
    sha.target = gitOk(dev.root, ['rev-parse', 'HEAD']).trim();
    // GitLab's merge of the merge request into that target, kept at refs/merge-requests/<iid>/merge.
    gitOk(dev.root, [...noHooks, 'merge', '-q', '--no-ff', '--no-edit', sha.head!]);
    sha.mergeRef = gitOk(dev.root, ['rev-parse', 'HEAD']).trim();
    gitOk(dev.root, [...noHooks, 'push', '-q', '--no-verify', 'origin', `${sha.mergeRef}:refs/merge-requests/7/merge`, 'refs/notes/ai-provenance']);
    gitOk(dev.root, [...noHooks, 'checkout', '-q', 'currency']);
    checkout(sha.mergeRef, ['+refs/merge-requests/7/merge:refs/merge-requests/7/merge']);

    const r = await runJob('ai-provenance-check', {
      ...mrPipeline(),
      CI_MERGE_REQUEST_EVENT_TYPE: 'merged_result',
      CI_COMMIT_SHA: sha.mergeRef,
      CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: sha.head!,
      CI_MERGE_REQUEST_TARGET_BRANCH_SHA: sha.target,
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const md = artifact('ai-provenance.md');
    assert.match(md, /^\| `src\/payments\/charge\.ts` \| 6 \| `[0-9a-f]{12}`: 5-10 \| payments code moves money \| ❌ needs review \|$/m);
    assert.match(md, new RegExp(`^3 commits checked \\(\`${sha.base!}\\.\\.${sha.head!}\`\\)`, 'm'));
    // fees.ts is main's, judged when it merged: this merge request is not blamed for it.
    assert.doesNotMatch(md, /fees\.ts/);
    assert.match(md, /^\| payments code moves money \(`src\/payments\/\*\*`\) \| review \| 6 \|/m);
  });

  it('after-merge push pipeline: the squash merge of the 3-commit branch gets a consolidated note, pushed to origin, that blame reads in a fresh clone', async () => {
    approvals = 'approvals.approved.json';
    // GitLab squashes the merge request onto main: a new commit, no note.
    gitOk(dev.root, [...noHooks, 'checkout', '-q', 'main']);
    gitOk(dev.root, [...noHooks, 'merge', '-q', '--squash', 'currency']);
    gitOk(dev.root, [...noHooks, 'commit', '-q', '-m', "Charge cards in the customer's currency\n\nSee merge request acme/shop!7"]);
    sha.merge = gitOk(dev.root, ['rev-parse', 'HEAD']).trim();
    gitOk(dev.root, [...noHooks, 'push', '-q', '--no-verify', 'origin', 'main']);
    mrState = 'merged';
    checkout(sha.merge);
    const notesBefore = gitOk(origin, ['rev-parse', 'refs/notes/ai-provenance']).trim();

    const r = await runJob('ai-provenance-after-merge', {
      CI_PIPELINE_SOURCE: 'push',
      CI_COMMIT_BRANCH: 'main',
      CI_COMMIT_REF_NAME: 'main',
      CI_COMMIT_SHA: sha.merge,
      CI_COMMIT_BEFORE_SHA: sha.base!,
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`^${sha.merge.slice(0, 12)} \\(squash, from ${sha.head!.slice(0, 12)}\\): wrote a note of 2 files$`, 'm'));
    // The note reached origin over the URL the template set (oauth2 and the token), written by the job's identity.
    const notesAfter = gitOk(origin, ['rev-parse', 'refs/notes/ai-provenance']).trim();
    assert.notEqual(notesAfter, notesBefore);
    assert.equal(gitOk(origin, ['log', '-1', '--format=%an <%ae>', 'refs/notes/ai-provenance']).trim(), `ai-provenance <ai-provenance@${serverHost}>`);
    assert.equal(gitOk(work, ['remote', 'get-url', 'origin']).trim(), `https://oauth2:${token}@${serverHost}:8443/${projectPath}.git`);

    // A developer's fresh clone, after fetching the notes, sees on main what the branch had.
    const fresh = path.join(temp, 'fresh');
    gitOk(temp, ['clone', '-q', origin, fresh]);
    gitOk(fresh, ['fetch', '-q', 'origin', 'refs/notes/ai-provenance:refs/notes/ai-provenance']);
    const blame = async (cwd: string, file: string, rev: string): Promise<string[]> => {
      const b = await runProcess(process.execPath, [cliPath, 'blame', '--json', '--rev', rev, file], { cwd, env: { ...process.env, ...fixedEnv } });
      assert.equal(b.code, 0, b.stderr);
      return (JSON.parse(b.stdout) as Array<{ kind: string; tool: string | null }>).map((l) => `${l.kind}:${l.tool ?? ''}`);
    };
    assert.deepEqual(await blame(fresh, 'src/payments/charge.ts', 'HEAD'), [...Array.from({ length: 4 }, () => 'none:'), ...Array.from({ length: 6 }, () => 'ai:Claude Code')]);
    assert.deepEqual(await blame(fresh, 'src/rates.ts', 'HEAD'), Array.from({ length: 3 }, () => 'ai:GitHub Copilot'));
    for (const file of ['src/payments/charge.ts', 'src/rates.ts', 'docs/currency.md']) {
      assert.deepEqual(await blame(fresh, file, 'HEAD'), await blame(dev.root, file, sha.head!), file);
    }
  });

  it('a token the API refuses (401) fails the job at the API call, with curl\'s error and what to check', async () => {
    approvals = 'approvals.approved.json';
    mrState = 'opened';
    checkout(sha.head!);
    fs.rmSync(path.join(work, 'ai-provenance-reviews.json'), { force: true });
    const r = await runJob('ai-provenance-check', { ...mrPipeline(), AI_PROVENANCE_TOKEN: 'glpat-revoked' });
    // bash reports errexit inside the runner's `: | eval` as 1, whatever curl's own code (22).
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /^curl: \(22\) The requested URL returned error: 401$/m);
    assert.match(r.stderr, new RegExp(`^ai-provenance: GitLab API GET projects/${projectId}/merge_requests/7 failed: check that AI_PROVENANCE_TOKEN is set for this pipeline, not expired, with read_api$`, 'm'));
    assert.deepEqual(requests.slice(-1), [`GET /api/v4/projects/${projectId}/merge_requests/7 glpat-revoked`]);
    // Nothing was judged: no reviews file, no verdict.
    assert.ok(!fs.existsSync(path.join(work, 'ai-provenance-reviews.json')));
    assert.doesNotMatch(r.stdout, /policy (not )?met/);
  });
});
