/**
 * The GitHub Action (`action.yml` at the repository root runs this bundle, dist/action.js, with
 * the runner's own node). On a pull request: fetches our notes, writes the pull request's
 * approvals (GitHub API, the job's token) to a reviews file, runs `git provenance check` over
 * the pull request's commits with the target branch's policy, and writes the Markdown job
 * summary, the annotations and the step outputs; fails when the policy is not met. On a push
 * to a branch: consolidates the notes of the pull request a squash or rebase merge came from
 * onto the new commits, pushes the notes, and checks what the push added.
 *
 * Every git provenance step runs the CLI bundled beside this file (dist/cli.js) in a process
 * of its own, exactly as a workflow step would type it. The only network is the GitHub API at
 * `GITHUB_API_URL` and the repository's own remote.
 */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChildRun } from '../../node/childRun';
import { runChild } from '../../node/childRun';

/** What a finished process printed. */
/** The environment the runner gives an action (only what this one reads). */
export interface ActionEnv {
  readonly [name: string]: string | undefined;
}


/** An input as the runner passes it: `INPUT_<NAME>` (upper case, blanks as `_`), trimmed. */
function input(env: ActionEnv, name: string, fallback = ''): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? fallback).trim();
}

/** One `name=value` line (a heredoc when the value has a line break) for GITHUB_OUTPUT. */
function outputLine(name: string, value: string): string {
  if (!value.includes('\n')) return `${name}=${value}\n`;
  const delimiter = `ai_provenance_${name}_EOF`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** A GitHub API client for the few calls the action makes. */
class GitHubApi {
  constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  /** GETs `path` (and the pages its `Link: rel="next"` headers name, on the same origin), as one list. */
  async list(pathAndQuery: string, maxPages = 20): Promise<unknown[]> {
    const out: unknown[] = [];
    let url: string | undefined = new URL(pathAndQuery.replace(/^\//, ''), this.base.endsWith('/') ? this.base : `${this.base}/`).toString();
    const origin = new URL(url).origin;
    for (let page = 0; url !== undefined && page < maxPages; page++) {
      const res = await fetch(url, {
        headers: { Accept: 'application/vnd.github+json', Authorization: `Bearer ${this.token}`, 'X-GitHub-Api-Version': '2022-11-28', 'User-Agent': 'ai-provenance-action' },
      });
      if (!res.ok) throw new Error(`GitHub API ${new URL(url).pathname}: ${res.status} ${res.statusText}`);
      const body: unknown = await res.json();
      if (!Array.isArray(body)) throw new Error(`GitHub API ${new URL(url).pathname}: expected a list`);
      out.push(...(body as unknown[]));
      const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
      url = next !== undefined && new URL(next).origin === origin ? next : undefined;
    }
    return out;
  }
}

/** A string field of an object read from JSON. */
function str(o: unknown, ...keys: string[]): string | undefined {
  let v: unknown = o;
  for (const k of keys) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

const zeroSha = /^0+$/;

/** Runs the action; returns the exit code (1 when the policy is not met). */
export async function runAction(env: ActionEnv, log: (line: string) => void, cliPath: string): Promise<number> {
  const cwd = env.GITHUB_WORKSPACE ?? process.cwd();
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const eventPath = env.GITHUB_EVENT_PATH;
  if (!eventPath) throw new Error('GITHUB_EVENT_PATH is not set: run this as a GitHub Action');
  const event = JSON.parse(readFileSync(eventPath, 'utf8')) as Record<string, unknown>;
  const repository = env.GITHUB_REPOSITORY ?? str(event, 'repository', 'full_name') ?? '';
  const api = new GitHubApi(input(env, 'api-url') || env.GITHUB_API_URL || 'https://api.github.com', input(env, 'token'));
  const remote = input(env, 'remote', 'origin') || 'origin';
  const failOnViolation = input(env, 'fail-on-violation', 'true') !== 'false';
  // git needs an identity to write notes; the runner has none configured.
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_COMMITTER_NAME: process.env.GIT_COMMITTER_NAME ?? 'github-actions[bot]',
    GIT_COMMITTER_EMAIL: process.env.GIT_COMMITTER_EMAIL ?? '41898282+github-actions[bot]@users.noreply.github.com',
    GIT_AUTHOR_NAME: process.env.GIT_AUTHOR_NAME ?? 'github-actions[bot]',
    GIT_AUTHOR_EMAIL: process.env.GIT_AUTHOR_EMAIL ?? '41898282+github-actions[bot]@users.noreply.github.com',
  };
  const git = (...args: string[]): Promise<ChildRun> => runChild('git', args, cwd, childEnv);
  const cli = (...args: string[]): Promise<ChildRun> => runChild(process.execPath, [cliPath, ...args], cwd, childEnv);
  const temp = mkdtempSync(path.join(env.RUNNER_TEMP ?? os.tmpdir(), 'ai-provenance-'));
  const outputs: Array<[string, string]> = [];

  const fetched = await git('fetch', '--no-tags', remote, '+refs/notes/ai-provenance:refs/notes/ai-provenance');
  if (fetched.code !== 0) log(`::notice title=AI provenance::no notes fetched from ${remote} (${fetched.stderr.trim().split('\n').pop() ?? ''}); commits without notes are judged by their trailers`);

  let range: string[];
  const extra: string[] = [];
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const base = str(event, 'pull_request', 'base', 'sha');
    const head = str(event, 'pull_request', 'head', 'sha');
    const number = str(event, 'pull_request', 'number');
    const author = str(event, 'pull_request', 'user', 'login');
    if (!base || !head || !number) throw new Error('the pull_request event has no base.sha, head.sha or number');
    range = [`${base}..${head}`];
    extra.push('--policy-rev', base);
    const reviewsFile = await writeReviewsFile(api, repository, number, author, temp, log);
    extra.push('--reviews', reviewsFile);
    outputs.push(['reviews-file', reviewsFile]);
  } else if (eventName === 'push') {
    const before = str(event, 'before');
    const after = str(event, 'after') ?? env.GITHUB_SHA;
    if (!after) throw new Error('the push event has no after');
    range = before && !zeroSha.test(before) ? [`${before}..${after}`] : ['-1', after];
    const pr = await mergedPullRequest(api, repository, after);
    if (pr) {
      // The merge commit is judged with the approvals its pull request had.
      const reviewsFile = await writeReviewsFile(api, repository, pr.number, pr.author, temp, log);
      extra.push('--reviews', reviewsFile);
      outputs.push(['reviews-file', reviewsFile]);
    }
    if (before && !zeroSha.test(before) && input(env, 'consolidate', 'true') !== 'false') {
      const consolidated = pr ? await consolidatePush(pr, remote, before, after, git, cli, log) : 'none';
      if (!pr) log('AI provenance: the push is no merge of a pull request; nothing to consolidate');
      outputs.push(['consolidated', consolidated]);
    }
  } else {
    log(`::warning title=AI provenance::nothing to do on a ${eventName || 'unknown'} event (run on pull_request and push)`);
    return 0;
  }

  const json = await cli('check', ...range, ...extra, '--format', 'json');
  if (json.code > 1) {
    log(`::error title=AI provenance::git provenance check could not run: ${json.stderr.trim()}`);
    return 2;
  }
  const result = JSON.parse(json.stdout) as { commits: number; violations: unknown[]; budgets?: Array<{ status: string }> };
  const markdown = await cli('check', ...range, ...extra, '--format', 'markdown');
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, markdown.stdout + '\n');
  // Annotations: workflow commands on stdout, which the runner reads.
  const github = await cli('check', ...range, ...extra, '--format', 'github');
  for (const l of github.stdout.split('\n')) if (l !== '') log(l);
  for (const l of github.stderr.split('\n')) if (l !== '') log(l);
  const sarif = input(env, 'sarif-file');
  if (sarif !== '') {
    const s = await cli('check', ...range, ...extra, '--format', 'sarif');
    writeFileSync(path.resolve(cwd, sarif), s.stdout);
    outputs.push(['sarif-file', path.resolve(cwd, sarif)]);
  }
  // Exit 1: violations, or a range over a budget without its reviews.
  const passed = json.code === 0;
  const failing = result.violations.length + (result.budgets ?? []).filter((b) => b.status === 'unreviewed' || b.status === 'blocked').length;
  outputs.push(['passed', String(passed)], ['violations', String(failing)], ['commits', String(result.commits)]);
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, outputs.map(([k, v]) => outputLine(k, v)).join(''));
  return passed || !failOnViolation ? 0 : 1;
}

/**
 * Writes the reviews file of a pull request from its reviews (every page), leaving out its
 * author's own; which approvals stand is for `check` to decide (src/core/policy/externalReviews.ts).
 */
async function writeReviewsFile(api: GitHubApi, repository: string, number: string, author: string | undefined, temp: string, log: (l: string) => void): Promise<string> {
  const reviews = (await api.list(`repos/${repository}/pulls/${number}/reviews?per_page=100`)).flatMap((r) => {
    const login = str(r, 'user', 'login');
    const state = str(r, 'state');
    if (!login || !state || (author !== undefined && login.toLowerCase() === author.toLowerCase())) return [];
    const at = str(r, 'submitted_at');
    return [{ login, state, ...(at ? { submitted_at: at } : {}) }];
  });
  const file = path.join(temp, `reviews-${number}.json`);
  writeFileSync(file, JSON.stringify(reviews, null, 2) + '\n');
  log(`AI provenance: pull request #${number}: ${reviews.length} review(s) by others than its author`);
  return file;
}

/** The merged pull request whose merge made `commit` (GitHub API), if any. */
async function mergedPullRequest(api: GitHubApi, repository: string, commit: string): Promise<{ number: string; head: string; author: string | undefined } | undefined> {
  const pulls = await api.list(`repos/${repository}/commits/${commit}/pulls`);
  const pr = pulls.find((p) => str(p, 'merged_at') !== undefined && str(p, 'merge_commit_sha') === commit);
  const number = str(pr, 'number');
  const head = str(pr, 'head', 'sha');
  return number !== undefined && head !== undefined ? { number, head, author: str(pr, 'user', 'login') } : undefined;
}

/**
 * After a push that merged a pull request: fetches its head, writes the consolidated notes of a
 * squash or rebase merge and pushes them. Returns what it did, for the step output.
 */
async function consolidatePush(pr: { number: string; head: string }, remote: string, before: string, after: string, git: (...a: string[]) => Promise<ChildRun>, cli: (...a: string[]) => Promise<ChildRun>, log: (l: string) => void): Promise<string> {
  const { number, head } = pr;
  const f = await git('fetch', '--no-tags', remote, `+refs/pull/${number}/head:refs/remotes/${remote}/pull/${number}/head`);
  if (f.code !== 0) {
    log(`::warning title=AI provenance::could not fetch pull request #${number}'s commits: ${f.stderr.trim()}`);
    return 'none';
  }
  const c = await cli('consolidate', `${before}..${head}`, '--onto', after);
  for (const l of (c.stdout + c.stderr).split('\n')) if (l !== '') log(l);
  if (c.code !== 0) {
    log(`::warning title=AI provenance::consolidate failed for pull request #${number}`);
    return 'failed';
  }
  if (/keeps the merged commits/.test(c.stdout)) return 'kept';
  const s = await cli('sync', remote);
  for (const l of (s.stdout + s.stderr).split('\n')) if (l !== '') log(l);
  if (s.code !== 0) log(`::warning title=AI provenance::could not push the consolidated notes (the job needs permissions: contents: write)`);
  return s.code === 0 ? `#${number}` : 'not-pushed';
}

if (require.main === module) {
  // The CLI bundle is built beside this one.
  const cliPath = path.join(__dirname, 'cli.js');
  runAction(process.env, (l) => process.stdout.write(l + '\n'), cliPath).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stdout.write(`::error title=AI provenance::${(e instanceof Error ? e.message : String(e)).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`);
      process.exitCode = 2;
    },
  );
}
