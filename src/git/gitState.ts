/**
 * What git is doing while a commit hook runs: a plain commit, an amend, a cherry-pick, a
 * rebase step (pick, reword, squash, fixup). Hooks are told little by their arguments, so
 * this reads the state files git leaves in the git dir, and for `--amend` the command line of
 * the git process that runs the hook.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { childProcessModule } from './runner';

/** Sequencer state of a worktree during a hook. */
export interface SequencerState {
  /** The commit being picked (cherry-pick, or a rebase pick), from CHERRY_PICK_HEAD. */
  readonly cherryPick: string | undefined;
  /** A rebase is in progress (merge or apply backend). */
  readonly rebase: boolean;
  /** During a rebase squash or fixup: the commit being folded into HEAD (an amend). */
  readonly squashSource: string | undefined;
  /**
   * The commit is made by the sequencer replaying another commit (a rebase pick, squash,
   * fixup, reword): the working tree's ledger says nothing about it.
   */
  readonly automated: boolean;
}

// Synchronous reads: a few tiny files in the git dir, read while a commit waits; each one
// through node's thread pool would cost more than the read itself.

function readTrimmed(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * Reads the sequencer state from `gitDir` (the worktree's own git dir). `reflogAction` is
 * `GIT_REFLOG_ACTION`, which the sequencer sets for the commands it runs ("rebase (squash)").
 */
// eslint-disable-next-line @typescript-eslint/require-await -- async for its callers; reads synchronously (see readTrimmed)
export async function sequencerState(gitDir: string, reflogAction: string | undefined): Promise<SequencerState> {
  const pick = readTrimmed(path.join(gitDir, 'CHERRY_PICK_HEAD'));
  const merge = existsSync(path.join(gitDir, 'rebase-merge'));
  const apply = existsSync(path.join(gitDir, 'rebase-apply'));
  let squashSource: string | undefined;
  // A squash or fixup folds a commit into HEAD: git lists the chain in current-fixups while it
  // runs, and the todo line done last names the commit being folded in. Git runs that commit
  // as `git commit --amend` or in-process (a final fixup), so its command line cannot tell.
  if (merge && existsSync(path.join(gitDir, 'rebase-merge', 'current-fixups'))) {
    const done = readTrimmed(path.join(gitDir, 'rebase-merge', 'done'));
    squashSource = done ? parseSquashLine(done.split('\n').pop() ?? '') : undefined;
  }
  const cherryPick = pick && /^[0-9a-f]{40,64}$/.test(pick) ? pick : undefined;
  const rebase = merge || apply;
  return { cherryPick, rebase, squashSource, automated: rebase && (cherryPick !== undefined || squashSource !== undefined || /^rebase/.test(reflogAction ?? '')) };
}

/** The commit of a rebase todo line when it is a squash or fixup (`fixup -C <sha> …` too). */
export function parseSquashLine(line: string): string | undefined {
  const words = line.trim().split(/\s+/);
  if (!['squash', 's', 'fixup', 'f'].includes(words[0] ?? '')) return undefined;
  const sha = words.slice(1).find((w) => !w.startsWith('-'));
  return sha && /^[0-9a-f]{7,64}$/.test(sha) ? sha : undefined;
}

/**
 * Whether the commit being prepared is `git commit --amend`. `prepare-commit-msg` is told
 * "commit HEAD" for a plain `--amend`, but only "message" for `--amend -m …`, so the command
 * line of the git process (`gitPid`, passed by our hook script as its $PPID) is read: from
 * /proc on Linux, from `ps` elsewhere.
 */
export async function isAmend(source: string | undefined, sha: string | undefined, gitPid: number | undefined): Promise<boolean> {
  if (source === 'commit' && sha === 'HEAD') return true;
  if (source === 'merge' || source === 'squash' || gitPid === undefined || !(gitPid > 1)) return false;
  const argv = await commandLine(gitPid);
  if (!argv) return false;
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--amend');
}

async function commandLine(pid: number): Promise<string[] | undefined> {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((a) => a.length > 0);
  } catch {
    // No /proc (macOS, BSD): ask ps. Arguments come back joined by spaces, which is enough
    // to find a standalone --amend.
    const { execFile } = childProcessModule();
    return new Promise((resolve) => {
      execFile('ps', ['-o', 'args=', '-p', String(pid)], { timeout: 2000 }, (err, stdout) => {
        resolve(err ? undefined : stdout.trim().split(/\s+/));
      });
    });
  }
}
