/**
 * `git provenance pre-receive` and `git provenance update <ref> <old> <new>`: the CI gate as a
 * server-side git hook, where it cannot be skipped. Every commit a push adds to a branch is
 * judged by `git provenance check` — the same command CI runs, in a process of its own, so
 * server and CI decide alike — against the policy of the branch it goes to (`--policy-rev`: the
 * branch before the push; a new branch: the default branch). Notes pushed in the same push are
 * evidence (`--notes-from`: git has not moved the notes ref yet when the hook runs, but their
 * objects are readable). A push that updates only notes (or tags, or deletes) is never refused.
 *
 * The `update` form sees one ref at a time: notes pushed in the same push are not visible to
 * it, only those already on the server (our pre-push hook sends notes in a push of their own
 * before the branch, so they are there). `pre-receive` sees the whole push.
 */
import { notesRef } from '../../core/commit/notes';
import type { Violation, CheckWarning } from '../../core/policy/verdicts';
import { spansText } from '../../core/policy/verdicts';
import { headBranch, refTips } from '../../git/forgeCommands';
import { runGit } from '../../git/runner';
import { openHistory } from '../../node/repo';
import type { ChildRun } from '../../node/childRun';
import { runChild } from '../../node/childRun';
import { UsageError } from '../args';
import type { Io } from '../io';

/** Usage text of `pre-receive`. */
export const preReceiveUsage = `usage: git provenance pre-receive   (git's pre-receive hook; ref updates on stdin)

The CI gate on a git server: every commit a push adds to a branch must meet the policy of that
branch (.ai-provenance.json as it stands on the branch before the push; on a new branch, the
default branch's), as git provenance check decides it. Notes pushed in the same push
(refs/notes/ai-provenance) count as evidence; commits without notes whose messages say AI
helped are judged by their trailers. A push that only updates notes is never refused. Refused
pushes list each commit, file and lines, and what is missing. See docs/forge.md.`;

/** Usage text of `update`. */
export const updateHookUsage = `usage: git provenance update <ref> <old> <new>   (git's update hook)

The pre-receive gate for one ref at a time (for servers that run only update hooks): notes
already on the server count as evidence; notes pushed in the same push do not (use pre-receive,
or push notes first: git provenance install --remote does). See docs/forge.md.`;

/** One ref update of a push. */
export interface RefUpdate {
  readonly old: string;
  readonly new: string;
  readonly ref: string;
}

/** Parses pre-receive's stdin: `<old> <new> <ref>` lines. */
export function parseRefUpdates(input: string): RefUpdate[] {
  return input.split('\n').flatMap((l) => {
    const m = /^([0-9a-f]{40,64}) ([0-9a-f]{40,64}) (\S.*)$/.exec(l.trim());
    return m ? [{ old: m[1]!, new: m[2]!, ref: m[3]! }] : [];
  });
}

const isZero = (sha: string): boolean => /^0+$/.test(sha);

/** What `check --format json` prints. */
interface CheckJson {
  readonly violations: readonly Violation[];
  readonly warnings: readonly CheckWarning[];
  readonly commits: number;
}

/** Runs this CLI's `check` in a process of its own, with git's hook environment (the quarantined objects of the push). */
function runCheck(cwd: string, args: readonly string[]): Promise<ChildRun> {
  const cli = process.argv[1];
  if (!cli) return Promise.reject(new Error('cannot find the git-provenance program to run check with'));
  return runChild(process.execPath, [cli, 'check', ...args], cwd);
}

/** Judges the branch updates of a push; prints the refusal and returns 1 when a commit fails. */
async function judgeUpdates(updates: readonly RefUpdate[], io: Io, notesFrom: string | undefined): Promise<number> {
  const branches = updates.filter((u) => u.ref.startsWith('refs/heads/') && !isZero(u.new));
  if (branches.length === 0) return 0;
  const root = (await openHistory(io.cwd, io.err)).gitCwd;
  // What the server already has: commits reachable from its branches and tags were judged when they came.
  const tips = await runGit(root, refTips(['refs/heads/', 'refs/tags/']));
  const known = [...new Set(tips.map((t) => t.object))];
  const defaultBranch = await runGit(root, headBranch());
  const defaultTip = tips.find((t) => t.ref === defaultBranch)?.object;
  let refused = 0;
  for (const u of branches) {
    const policyRev = !isZero(u.old) ? u.old : defaultTip;
    const args = [u.new, ...known.map((k) => `^${k}`), '--format', 'json', ...(policyRev ? ['--policy-rev', policyRev] : []), ...(notesFrom ? ['--notes-from', notesFrom] : [])];
    const r = await runCheck(io.cwd, args);
    let result: CheckJson | undefined;
    try {
      result = r.code <= 1 ? (JSON.parse(r.stdout) as CheckJson) : undefined;
    } catch {
      result = undefined;
    }
    if (!result) {
      // The gate could not run: refuse rather than let unchecked commits in, and say why.
      io.err(`ai-provenance: push to ${u.ref} refused: the check could not run (exit ${r.code})`);
      for (const l of r.stderr.trim().split('\n')) if (l !== '') io.err(`  ${l}`);
      refused++;
      continue;
    }
    for (const w of result.warnings) io.err(`ai-provenance: warning: ${w.commit ? `${w.commit.slice(0, 12)}: ` : ''}${w.message}`);
    if (result.violations.length === 0) continue;
    refused++;
    const bad = new Set(result.violations.map((v) => v.commit));
    io.err(`ai-provenance: push to ${u.ref} refused: ${bad.size} of ${result.commits} new commit${result.commits === 1 ? '' : 's'} do${bad.size === 1 ? 'es' : ''} not meet the policy of ${u.ref.slice('refs/heads/'.length)}${policyRev ? ` (.ai-provenance.json at ${policyRev.slice(0, 12)})` : ''}`);
    let current = '';
    for (const v of result.violations) {
      if (v.commit !== current) {
        current = v.commit;
        io.err(`  commit ${v.commit.slice(0, 12)} ${v.subject}  (${v.author})`);
      }
      for (const f of v.files) io.err(`    ${f.path} lines ${spansText(f.lines)}`);
      io.err(`    missing: ${v.message}`);
    }
  }
  if (refused > 0) {
    io.err('ai-provenance: add the review to the commit message ("Reviewed-by: Name <email>" as a trailer, git commit --amend), or take the AI-written lines out, then push again. Push the notes with the commits (git provenance install --remote, or git push <remote> refs/notes/ai-provenance) so the server sees which lines AI wrote.');
    return 1;
  }
  return 0;
}

/** Runs `pre-receive`. */
export async function preReceive(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('--help')) {
    io.out(preReceiveUsage);
    return 0;
  }
  if (argv.length > 0) throw new UsageError('pre-receive takes no arguments (git passes the ref updates on stdin)');
  const updates = parseRefUpdates(await io.stdin());
  const notes = updates.find((u) => u.ref === notesRef && !isZero(u.new));
  return judgeUpdates(updates, io, notes?.new);
}

/** Runs `update <ref> <old> <new>`. */
export async function updateHook(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('--help')) {
    io.out(updateHookUsage);
    return 0;
  }
  const [ref, old, next] = argv;
  if (argv.length !== 3 || !ref || !old || !next || !/^[0-9a-f]{40,64}$/.test(old) || !/^[0-9a-f]{40,64}$/.test(next)) throw new UsageError('give <ref> <old> <new>, as git passes them to the update hook');
  return judgeUpdates([{ ref, old, new: next }], io, undefined);
}
