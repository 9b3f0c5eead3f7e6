/**
 * The message hooks: `prepare-commit-msg` writes the trailers of the staged change into the
 * message; `commit-msg` adds them when the message was still empty before the editor, and is
 * where commit friction (a later issue) will decide.
 *
 * Which change is counted:
 * - a commit: the index against HEAD (nothing on the first commit), lines of the ledger;
 * - `--amend`: the index against HEAD's first parent — the whole amended commit — with the
 *   lines of HEAD's note as well as the ledger's;
 * - a cherry-pick or rebase pick: also the lines of the picked commit's note;
 * - a rebase squash or fixup (an amend run by the sequencer): also the squashed commit's note;
 * - a merge: the index against the first parent (ledger lines only: the merged branch's own
 *   lines are already described by its commits' notes).
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { emptyLedger } from '../core/ledger';
import type { Trailer } from '../core/trailers';
import { buildTrailers, detectCommentChar, hasContent, provenanceIds, stripOwnTrailers, trailerKeys } from '../core/trailers';
import type { HookRepo } from '../git/commands';
import { emptyTree, hookRepo, interpretTrailers, resolveCommit, stagedPatch, unstagedPaths } from '../git/commands';
import { LedgerStore } from '../git/ledgerStore';
import { readNote } from '../git/notes';
import { runGit } from '../git/runner';
import type { NoteSource } from './attribution';
import { attributeChange } from './attribution';
import { isAmend, sequencerState } from './gitState';
import type { Io } from './io';

/** Environment a hook reads: passed in so tests can run hooks in-process. */
export type HookEnv = Readonly<Record<string, string | undefined>>;

/** Trailers computed before the editor opened on an empty message, for `commit-msg`. */
interface Pending {
  readonly trailers: Trailer[];
}

function pendingFile(repo: HookRepo): string {
  return path.join(repo.ledgerDir, 'pending-trailers.json');
}

/** The trailers the staged change should carry, and the message they go into. */
export interface PreparedTrailers {
  /** Undefined: leave the message as it is (see {@link computeTrailers}). */
  readonly trailers: Trailer[] | undefined;
  readonly amend: boolean;
}

/**
 * Computes the trailers of the commit being prepared. `message` is the message as git wrote
 * it to the file (its AI-Provenance id is kept, except where the commit is a copy of another).
 */
async function computeTrailers(repo: HookRepo, io: Io, env: HookEnv, message: string, source: string | undefined, sha: string | undefined): Promise<PreparedTrailers> {
  const cwd = repo.root;
  const [state, amendFlag, fullLedger] = await Promise.all([
    sequencerState(repo.gitDir, env.GIT_REFLOG_ACTION),
    isAmend(source, sha, env.AIP_GIT_PID ? Number(env.AIP_GIT_PID) : undefined),
    new LedgerStore(repo.ledgerDir, io.err).read(),
  ]);
  const ledger = state.automated ? emptyLedger() : fullLedger;
  const amend = (amendFlag || state.squashSource !== undefined) && repo.head !== undefined;
  const noteCommits: string[] = [];
  if (state.squashSource && amend) noteCommits.push(state.squashSource);
  if (amend) noteCommits.push('HEAD');
  if (state.cherryPick) noteCommits.push(state.cherryPick);
  const notes: NoteSource[] = await Promise.all(noteCommits.map(async (c) => ({ commit: c, records: await readNote(cwd, c) })));
  const sources = notes.filter((n) => n.records.length > 0);
  // The message carries trailers of a commit we are rewriting or copying, but that commit's
  // note is not here (notes not fetched, made without our hooks): nothing to recount them
  // from, so they stay as they are rather than being dropped.
  if (noteCommits.length > 0 && sources.length === 0 && provenanceIds(message).length > 0) return { trailers: undefined, amend };
  // Resolve symbolic names: records without a revision fall back to the note's commit.
  for (let i = 0; i < sources.length; i++) {
    if (sources[i]!.commit === 'HEAD' && repo.head) sources[i] = { ...sources[i]!, commit: repo.head };
  }
  const ledgerPaths = Object.keys(ledger.files);
  if (ledgerPaths.length === 0 && sources.length === 0) return { trailers: [], amend };
  let base: string | undefined;
  if (amend) base = (await runGit(cwd, resolveCommit('HEAD^1'))) ?? (await runGit(cwd, emptyTree()));
  const [patches, unstaged] = await Promise.all([
    runGit(cwd, stagedPatch(base)),
    ledgerPaths.length > 0 ? runGit(cwd, unstagedPaths(ledgerPaths)) : Promise.resolve(new Set<string>()),
  ]);
  const sameAsWorktree = new Set(ledgerPaths.filter((p) => !unstaged.has(p)));
  const result = await attributeChange({ cwd, root: repo.root, patches, target: { spec: (p) => `:${p}`, sameAsWorktree }, ledger, notes: sources });
  // A copy of another commit gets its own record id; a rewrite of the same commit keeps it.
  const copy = (state.cherryPick !== undefined && !state.rebase) || (source === 'commit' && !amend);
  // `--amend -m …` replaces the message: the id is then HEAD's, from its note.
  const headId = amend ? notes.find((n) => n.commit === 'HEAD')?.records[0]?.id : undefined;
  const existing = copy ? undefined : (provenanceIds(message).pop() ?? headId);
  return { trailers: buildTrailers(result.count, existing ?? randomUUID()), amend };
}

/**
 * `prepare-commit-msg <file> [<source> [<sha>]]`: replaces our trailers in the message with
 * those of the staged change. When the message is still empty (the editor is about to open on
 * it), the trailers wait for `commit-msg`: written now, they would make a message the user
 * left empty to abort the commit look non-empty.
 */
export async function prepareCommitMsg(args: readonly string[], io: Io, env: HookEnv): Promise<number> {
  const [file, source, sha] = args;
  if (!file) return 0;
  const repo = await runGit(io.cwd, hookRepo(io.cwd));
  const msgFile = path.resolve(io.cwd, file);
  await fs.rm(pendingFile(repo), { force: true });
  const message = await fs.readFile(msgFile, 'utf8');
  const { trailers } = await computeTrailers(repo, io, env, message, source, sha);
  if (!trailers) return 0;
  const stripped = stripOwnTrailers(message);
  const commentChar = detectCommentChar(message);
  if (stripped.removed > 0) await fs.writeFile(msgFile, stripped.message);
  if (trailers.length === 0) return 0;
  if (!hasContent(stripped.message, commentChar ?? '#')) {
    await fs.mkdir(repo.ledgerDir, { recursive: true });
    const pending: Pending = { trailers };
    await fs.writeFile(pendingFile(repo), JSON.stringify(pending));
    return 0;
  }
  await runGit(repo.root, interpretTrailers(msgFile, trailers, commentChar));
  return 0;
}

/** A pending trailer read back from disk is used only if it is one of ours and one line. */
function isOurTrailer(t: unknown): t is Trailer {
  const x = t as Partial<Trailer> | null;
  return (
    typeof x?.key === 'string' &&
    typeof x.value === 'string' &&
    (Object.values(trailerKeys) as string[]).includes(x.key) &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f]/.test(x.value)
  );
}

/**
 * Whether a commit may go ahead. The extension point of commit friction (a later issue):
 * today every commit is allowed.
 */
export function decideFriction(): 'allow' | 'block' {
  return 'allow';
}

/** `commit-msg <file>`: adds trailers left pending by `prepare-commit-msg`; friction. */
export async function commitMsg(args: readonly string[], io: Io): Promise<number> {
  const [file] = args;
  if (file) {
    const repo = await runGit(io.cwd, hookRepo(io.cwd));
    let pending: Pending | undefined;
    try {
      pending = JSON.parse(await fs.readFile(pendingFile(repo), 'utf8')) as Pending;
    } catch {
      pending = undefined;
    }
    const trailers = pending && Array.isArray(pending.trailers) ? pending.trailers.filter(isOurTrailer) : [];
    if (trailers.length > 0) {
      await fs.rm(pendingFile(repo), { force: true });
      const msgFile = path.resolve(io.cwd, file);
      const message = await fs.readFile(msgFile, 'utf8');
      const commentChar = detectCommentChar(message);
      // Still empty: git is about to abort the commit for its empty message; leave it so.
      if (hasContent(message, commentChar ?? '#')) {
        const stripped = stripOwnTrailers(message);
        if (stripped.removed > 0) await fs.writeFile(msgFile, stripped.message);
        await runGit(repo.root, interpretTrailers(msgFile, trailers, commentChar));
      }
    }
  }
  return decideFriction() === 'allow' ? 0 : 1;
}
